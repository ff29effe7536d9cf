/**
 * Real git, run with the same HOME and keys as `vault` (git runs sealenv's drivers and
 * hook, so it gets what `vault` has there): in a test's workspace, or as one person of a team.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { BIN, type Workspace } from "./cli.js";
import type { Person } from "./people.js";

export interface GitResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const author = (name: string, email: string) => ({ GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email });

const GIT_IDENTITY = author("Test", "test@example.com");

function runGit(cwd: string, env: Record<string, string | undefined>, args: string[]): GitResult {
  const full: NodeJS.ProcessEnv = { ...env };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  const r = spawnSync("git", args, { cwd, env: full, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function ok(r: GitResult, args: string[]): string {
  if (r.code !== 0) throw new Error(`git ${args.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** Runs real git in the workspace, with the same isolated HOME as `vault`. */
export function gitIn(w: Workspace, args: string[], env: Record<string, string | undefined> = {}): GitResult {
  return runGit(w.dir, { ...w.env, ...GIT_IDENTITY, ...env }, args);
}

export function gitOk(w: Workspace, args: string[], env: Record<string, string | undefined> = {}): string {
  return ok(gitIn(w, args, env), args);
}

/** Runs real git in `cwd` as `p`: on their machine, committing under their name. */
export function gitRun(p: Person, cwd: string, args: string[], env: Record<string, string | undefined> = {}): GitResult {
  return runGit(cwd, { ...p.w.env, ...author(p.name, `${p.name}@example.com`), ...env }, args);
}

export function git(p: Person, cwd: string, args: string[], env: Record<string, string | undefined> = {}): string {
  return ok(gitRun(p, cwd, args, env), args);
}

/**
 * A `git` put first on the workspace's PATH that records each call (a line of its
 * arguments), then runs the real one: pass `env` to whatever is watched, read `calls()` after.
 * git puts its own folder first on PATH for the drivers it runs, so a `sealenv` here puts
 * the spy back in front: the drivers' git calls are recorded too.
 */
export function gitSpy(w: Workspace): { env: { PATH: string }; calls(): string[] } {
  const dir = path.join(w.home, "git-spy");
  mkdirSync(dir, { recursive: true });
  const log = path.join(dir, "calls.log");
  const realGit = spawnSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).stdout.trim();
  writeFileSync(path.join(dir, "git"), `#!/bin/sh\nprintf '%s\\n' "git $*" >> '${log}'\nexec '${realGit}' "$@"\n`, { mode: 0o755 });
  writeFileSync(path.join(dir, "sealenv"), `#!/bin/sh\nPATH='${dir}':"$PATH" exec '${process.execPath}' '${BIN}' "$@"\n`, { mode: 0o755 });
  return {
    env: { PATH: `${dir}:${w.env.PATH ?? ""}` },
    calls: () => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []),
  };
}
