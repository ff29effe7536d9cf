import { spawnSync } from "node:child_process";
import type { Workspace } from "./cli.js";

export const GIT_IDENTITY = {
  GIT_AUTHOR_NAME: "Test",
  GIT_AUTHOR_EMAIL: "test@example.com",
  GIT_COMMITTER_NAME: "Test",
  GIT_COMMITTER_EMAIL: "test@example.com",
};

/** Runs real git in the workspace, with the same isolated HOME as `vault`. */
export function gitIn(w: Workspace, args: string[], env: Record<string, string | undefined> = {}) {
  // git runs our drivers and hooks, so it gets the same keys `vault` has here.
  const full: NodeJS.ProcessEnv = { ...w.env, ...GIT_IDENTITY, ...env };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  const r = spawnSync("git", args, { cwd: w.dir, env: full, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function gitOk(w: Workspace, args: string[], env: Record<string, string | undefined> = {}): string {
  const r = gitIn(w, args, env);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}
