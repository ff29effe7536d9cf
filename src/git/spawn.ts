import { spawnSync } from "node:child_process";
import { withoutCredentials } from "../credentials.js";
import { findProgram, trustedPath } from "../programs.js";

/**
 * Every git sealenv starts, and what a repository someone else wrote cannot make of it:
 * - Which program: git from the trusted PATH (see trustedPath), never a `git` committed to
 *   the project.
 * - Whose config: a committed folder holding HEAD, objects/ and refs/ is a bare repository
 *   to git's discovery, and git would obey the config inside it (a gpg.program run by
 *   log.showSignature, an fsmonitor). safe.bareRepository=explicit, given on the command
 *   line where git honours it, makes git refuse one nobody named.
 * - The keys sealenv was started with are not passed on: git may run hooks and helpers.
 * Undefined when there is no git to run.
 */
export function spawnGit(args: string[], cwd: string, input?: string): { status: number | null; stdout: Buffer; stderr: Buffer } | undefined {
  const program = findProgram("git", process.env, cwd);
  if (program === undefined) return undefined;
  const env = { ...withoutCredentials(process.env), PATH: trustedPath(process.env, cwd) };
  const r = spawnSync(program, ["-c", "safe.bareRepository=explicit", ...args], { cwd, input, env, maxBuffer: 2 * 1024 * 1024 * 1024 });
  return r.error ? undefined : r;
}
