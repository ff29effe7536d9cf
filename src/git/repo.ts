import { existsSync } from "node:fs";
import path from "node:path";
import { VaultError } from "../errors.js";
import { spawnGit } from "./spawn.js";

/** Runs git and returns stdout as text; a failure is a VaultError carrying git's own first line. */
export function git(args: string[], cwd: string, input?: string): string {
  return gitBytes(args, cwd, input).toString("utf8");
}

/** Like git(), but returns raw bytes, for blobs that may not be UTF-8. */
export function gitBytes(args: string[], cwd: string, input?: string): Buffer {
  const r = spawnGit(args, cwd, input);
  if (!r) throw new VaultError("not_found", "git is not installed or not on PATH", "install git, then try again");
  if (r.status !== 0) {
    const why = (r.stderr.toString() || r.stdout.toString()).trim().split("\n")[0] ?? "";
    throw new VaultError("io", `git ${args[0]} failed: ${why}`, "check the repository with `git status`");
  }
  return r.stdout;
}

/** A boolean setting from git's config (`git config --bool`); false when unset or not a boolean. */
export function configFlag(cwd: string, key: string): boolean {
  const r = spawnGit(["config", "--bool", "--get", key], cwd);
  return r?.status === 0 && r.stdout.toString("utf8").trim() === "true";
}

/** The top of the work tree containing `cwd`, or undefined outside a repository. */
export function workTreeRoot(cwd: string): string | undefined {
  const r = spawnGit(["rev-parse", "--show-toplevel"], cwd);
  return r?.status === 0 ? r.stdout.toString("utf8").trim() : undefined;
}

/**
 * The top of the work tree git started a driver in, without asking git again: git runs
 * drivers at the top of the work tree, so a `.git` right there is the one git chose. Asks
 * git when there is none (core.worktree) or git's environment names another (GIT_DIR).
 */
export function driverWorkTree(cwd: string): string {
  const plain = process.env.GIT_DIR === undefined && process.env.GIT_WORK_TREE === undefined && existsSync(path.join(cwd, ".git"));
  return plain ? path.resolve(cwd) : requireWorkTree(cwd);
}

export function requireWorkTree(cwd: string): string {
  const root = workTreeRoot(cwd);
  if (!root) throw new VaultError("not_found", `${cwd} is not inside a git work tree`, "run `git init` first, or cd into the repository");
  return root;
}

export function trackedFiles(root: string): string[] {
  return git(["ls-files", "-z"], root).split("\0").filter(Boolean);
}

/** A path inside .git (honours worktrees and core.hooksPath via --git-path). */
export function gitPath(cwd: string, name: string): string {
  return path.resolve(cwd, git(["rev-parse", "--git-path", name], cwd).trim());
}
