import { accessSync, constants, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { repositoryRootOf } from "./git/dirs.js";

/**
 * Where sealenv looks for the programs it starts on its own account (git, the age tool and
 * its plugins, the editor of `vault edit`), which get keys, identities or plaintext within
 * reach: PATH without its empty and relative entries (the current folder) and without the
 * folders inside the repositories `cwd` is in (`node_modules/.bin`, which `npm run` puts on
 * PATH), where anyone who can commit could put a program of a well-known name. The program
 * `vault run` starts is the user's own command, found on PATH as it is.
 */
export function trustedPath(environ: NodeJS.ProcessEnv, cwd: string): string {
  const repositories = enclosingRepositories(cwd);
  return (environ.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => {
      if (!path.isAbsolute(dir)) return false;
      const real = realFolder(dir);
      return real !== undefined && !repositories.some((repository) => isWithin(repository, real));
    })
    .join(path.delimiter);
}

/**
 * Every work tree `cwd` is in, where they really are (a PATH entry may reach one through a
 * symlink, ~/code -> /data/code): the nearest, and those around it, as a worktree nested in
 * the main one or a submodule in its superproject (`npm run` puts the node_modules/.bin of
 * every folder above on PATH).
 */
function enclosingRepositories(cwd: string): string[] {
  const found: string[] = [];
  for (let root = repositoryRootOf(cwd); root !== undefined; root = path.dirname(root) === root ? undefined : repositoryRootOf(path.dirname(root))) {
    const real = realFolder(root);
    if (real !== undefined) found.push(real);
  }
  return found;
}

/** Where a folder really is, symlinks resolved; undefined when there is none (it holds no program either). */
function realFolder(dir: string): string | undefined {
  try {
    return realpathSync.native(dir);
  } catch {
    return undefined;
  }
}

/** `name` on the trusted PATH (with PATHEXT's endings on Windows), or undefined. */
export function findProgram(name: string, environ: NodeJS.ProcessEnv, cwd: string): string | undefined {
  const endings = process.platform === "win32" ? (environ.PATHEXT ?? ".EXE;.CMD;.BAT").split(";") : [""];
  for (const dir of trustedPath(environ, cwd).split(path.delimiter).filter(Boolean)) {
    for (const ending of endings) {
      const file = path.join(dir, `${name}${ending}`);
      if (isExecutableFile(file)) return file;
    }
  }
  return undefined;
}

function isWithin(folder: string, dir: string): boolean {
  const relative = path.relative(folder, dir);
  // A folder of the repository may be named "..bin": only ".." itself, as a whole segment, leads out.
  return relative === "" || (relative !== ".." && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
