import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { withoutCredentials } from "../credentials.js";
import { vaultLocation } from "./known-vaults.js";

/**
 * The versions of a file committed in the history reachable from HEAD, oldest first (only
 * those not reachable from `since`, when given), or undefined outside a git work tree.
 * Looks for `.git` before starting any git, so a vault outside a repository costs no
 * process. Asked on the first open at a location, and again only after HEAD moved, to
 * learn what the history says before trusting what the file says.
 */
export function committedVersions(file: string, since?: string): string[] | undefined {
  const real = vaultLocation(file);
  if (repositoryRoot(real) === undefined) return undefined;
  const top = run(["rev-parse", "--show-toplevel"], path.dirname(real));
  if (top === undefined) return undefined;
  const relative = path.relative(top.toString("utf8").trim(), real).split(path.sep).join("/");
  // --full-history: git's default simplification skips a side of a merge that did not
  // change the path, and with it a removal a merge would hide.
  const list = (range: string) => run(["rev-list", "--reverse", "--topo-order", "--full-history", range, "--", relative], top.toString("utf8").trim());
  // A commit no longer there (a rewritten branch, a gc) cannot bound the walk: take it all.
  const commits = (since && list(`${since}..HEAD`)) || list("HEAD");
  const ids = commits?.toString("utf8").split("\n").filter(Boolean) ?? [];
  if (ids.length === 0) return [];
  const out = run(["cat-file", "--batch"], path.dirname(real), ids.map((c) => `${c}:${relative}`).join("\n") + "\n");
  return out ? splitBatch(out, ids.length) : [];
}

/** The folder holding `.git` above a vault file (by looking, not by running git), or undefined. */
export function repositoryRoot(file: string): string | undefined {
  for (let d = path.dirname(vaultLocation(file)); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, ".git"))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * The commit HEAD points at, read from `.git` without starting git (it is asked on every
 * open): a loose ref, a packed one, a detached HEAD, or a worktree's. Undefined when it
 * cannot be told; the caller then just does not look at history again.
 */
export function headCommit(file: string): string | undefined {
  const dirs = gitDirs(file);
  if (dirs === undefined) return undefined;
  try {
    const { gitDir, common } = dirs;
    const head = readFileSync(path.join(gitDir, "HEAD"), "utf8").trim();
    if (/^[0-9a-f]{40,64}$/.test(head)) return head;
    const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    for (const dir of [gitDir, common]) {
      const loose = path.join(dir, ref);
      if (existsSync(loose)) return readFileSync(loose, "utf8").trim();
    }
    const packed = path.join(common, "packed-refs");
    if (!existsSync(packed)) return undefined;
    const line = readFileSync(packed, "utf8").split("\n").find((l) => l.endsWith(` ${ref}`));
    return line?.split(" ")[0];
  } catch {
    return undefined;
  }
}

/** A clone made with --depth: its history stops short, so it cannot vouch for the file. */
export function isShallowClone(file: string): boolean {
  const dirs = gitDirs(file);
  return dirs !== undefined && existsSync(path.join(dirs.common, "shallow"));
}

/** The repository's git folder (a worktree's own) and the folder its refs are shared in. */
function gitDirs(file: string): { gitDir: string; common: string } | undefined {
  const root = repositoryRoot(file);
  if (root === undefined) return undefined;
  try {
    const dotGit = path.join(root, ".git");
    const gitDir = statSync(dotGit).isFile() ? path.resolve(root, readFileSync(dotGit, "utf8").replace(/^gitdir:\s*/, "").trim()) : dotGit;
    const common = existsSync(path.join(gitDir, "commondir")) ? path.resolve(gitDir, readFileSync(path.join(gitDir, "commondir"), "utf8").trim()) : gitDir;
    return { gitDir, common };
  } catch {
    return undefined;
  }
}

function run(args: string[], cwd: string, input?: string): Buffer | undefined {
  const r = spawnSync("git", args, { cwd, input, env: withoutCredentials(process.env), maxBuffer: 1024 * 1024 * 1024 });
  return r.status === 0 ? r.stdout : undefined;
}

/** `git cat-file --batch` output: a header line per object, then its bytes and a newline. */
function splitBatch(out: Buffer, count: number): string[] {
  const texts: string[] = [];
  let at = 0;
  for (let i = 0; i < count && at < out.length; i++) {
    const eol = out.indexOf(10, at);
    const header = out.subarray(at, eol).toString("utf8");
    at = eol + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) continue;
    const size = Number(header.split(" ")[2]);
    texts.push(out.subarray(at, at + size).toString("utf8"));
    at += size + 1;
  }
  return texts;
}
