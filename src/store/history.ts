import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { withoutCredentials } from "../credentials.js";
import { vaultLocation } from "./known-vaults.js";

/**
 * The versions of a file committed in the history reachable from HEAD, oldest first, or
 * undefined outside a git work tree. Looks for `.git` before starting any git, so a vault
 * outside a repository costs no process. Only the first open of a vault at a new location
 * asks, to learn what its history says before trusting what the file says.
 */
export function committedVersions(file: string): string[] | undefined {
  const real = vaultLocation(file);
  if (repositoryRoot(real) === undefined) return undefined;
  const top = run(["rev-parse", "--show-toplevel"], path.dirname(real));
  if (top === undefined) return undefined;
  const relative = path.relative(top.toString("utf8").trim(), real).split(path.sep).join("/");
  const commits = run(["rev-list", "--reverse", "--topo-order", "HEAD", "--", relative], top.toString("utf8").trim());
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
