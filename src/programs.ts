import { accessSync, constants, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { repositoryRootOf } from "./git/dirs.js";

/**
 * Where sealenv looks for the programs it starts on its own account (git, the age tool and
 * its plugins, the editor of `vault edit`), which get keys, identities or plaintext within
 * reach: PATH without its empty and relative entries (the current folder) and without the
 * folders inside the repository `cwd` is in (`node_modules/.bin`, which `npm run` puts on
 * PATH), where anyone who can commit could put a program of a well-known name. The program
 * `vault run` starts is the user's own command, found on PATH as it is.
 */
export function trustedPath(environ: NodeJS.ProcessEnv, cwd: string): string {
  const found = repositoryRootOf(cwd);
  // Compared where they really are: a PATH entry may reach the repository through a symlink (~/code -> /data/code).
  const repository = found === undefined ? undefined : realFolder(found);
  return (environ.PATH ?? "")
    .split(path.delimiter)
    .filter((dir) => {
      if (!path.isAbsolute(dir)) return false;
      const real = realFolder(dir);
      return real !== undefined && (repository === undefined || !isWithin(repository, real));
    })
    .join(path.delimiter);
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
