import { spawnSync } from "node:child_process";
import { accessSync, constants, statSync } from "node:fs";
import path from "node:path";
import { withoutCredentials } from "../credentials.js";
import { repositoryRootOf } from "./dirs.js";

/**
 * Every git sealenv starts, and what a repository someone else wrote cannot make of it:
 * - Which program: git from PATH, but never from an empty or relative entry (the current
 *   folder) or a folder inside the repository (`node_modules/.bin` under `npm run`), where
 *   anyone who can commit could put a `git` of their own.
 * - Whose config: a committed folder holding HEAD, objects/ and refs/ is a bare repository
 *   to git's discovery, and git would obey the config inside it (a gpg.program run by
 *   log.showSignature, an fsmonitor). safe.bareRepository=explicit, given on the command
 *   line where git honours it, makes git refuse one nobody named.
 * - The keys sealenv was started with are not passed on: git may run hooks and helpers.
 * Undefined when there is no git to run.
 */
export function spawnGit(args: string[], cwd: string, input?: string): { status: number | null; stdout: Buffer; stderr: Buffer } | undefined {
  const program = gitProgram(cwd);
  if (program === undefined) return undefined;
  const r = spawnSync(program, ["-c", "safe.bareRepository=explicit", ...args], { cwd, input, env: withoutCredentials(process.env), maxBuffer: 2 * 1024 * 1024 * 1024 });
  return r.error ? undefined : r;
}

const found = new Map<string, string | undefined>();

function gitProgram(cwd: string): string | undefined {
  const repository = repositoryRootOf(cwd);
  const key = `${repository ?? ""}\0${process.env.PATH ?? ""}`;
  if (!found.has(key)) found.set(key, searchPath(repository));
  return found.get(key);
}

function searchPath(repository: string | undefined): string | undefined {
  const name = process.platform === "win32" ? "git.exe" : "git";
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!path.isAbsolute(dir) || (repository !== undefined && isWithin(repository, dir))) continue;
    const file = path.join(dir, name);
    if (isExecutableFile(file)) return file;
  }
  return undefined;
}

function isWithin(folder: string, dir: string): boolean {
  const relative = path.relative(folder, path.resolve(dir));
  return relative === "" || (!relative.startsWith("..") && !path.isAbsolute(relative));
}

function isExecutableFile(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}
