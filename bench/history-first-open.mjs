// The first open of a vault in a clone learns from its git history. Anyone who can push can
// make that history large: here, a commit that adds N `*.vault` files (and the next that
// deletes them). Compares, in one run, the first `vault run -- true` in a clean clone with
// the first one after such a commit; reports medians of 5 and their ratio. The work must
// grow with N, not with N squared (git's path lookups scan a whole folder each time).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin/vault.js");
const paths = Number(process.env.BENCH_PATHS ?? 40000);
const dir = mkdtempSync(path.join(tmpdir(), "sealenv-history-bench-"));
const env = { PATH: process.env.PATH, HOME: dir, VAULT_PASSPHRASE: "benchmark passphrase", GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" };
const run = (cmd, args, options = {}) => {
  const r = spawnSync(cmd, args, { cwd: options.cwd ?? dir, env: { ...env, ...options.env }, input: options.input, encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};

const origin = path.join(dir, "origin");
run("git", ["init", "-q", "-b", "main", origin]);
run(process.execPath, [bin, "init", "--passphrase"], { cwd: origin });
const key = run(process.execPath, [bin, "key", "export"], { cwd: origin }).trim();
run(process.execPath, [bin, "set", "X", "value"], { cwd: origin, env: { VAULT_KEY: key } });
run("git", ["add", "-A"], { cwd: origin });
run("git", ["commit", "-qm", "vault"], { cwd: origin });
const clean = run("git", ["rev-parse", "HEAD"], { cwd: origin }).trim();

const lines = ["blob", "mark :1", "data 2", "{}", `commit refs/heads/junk`, "committer b <b@b> 1700000000 +0000", "data 4", "junk", `from ${clean}`];
for (let i = 0; i < paths; i++) lines.push(`M 100644 :1 junk/j${i}.vault`);
lines.push("", "commit refs/heads/junk", "committer b <b@b> 1700000001 +0000", "data 7", "cleanup", "D junk", "", "");
run("git", ["fast-import", "--quiet"], { cwd: origin, input: lines.join("\n") });

/** The median of 5 first opens, each in a fresh clone of `branch` with a fresh HOME. */
function firstOpen(branch) {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const clone = path.join(dir, `clone-${branch}-${i}`);
    run("git", ["clone", "-q", "-b", branch, origin, clone]);
    const home = path.join(dir, `home-${branch}-${i}`);
    const t = process.hrtime.bigint();
    run(process.execPath, [bin, "run", "--", "true"], { cwd: clone, env: { HOME: home, VAULT_KEY: key } });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[2];
}

const base = firstOpen("main");
const junk = firstOpen("junk");
rmSync(dir, { recursive: true, force: true });
console.log(`first open, clean history: median ${base.toFixed(0)} ms`);
console.log(`first open, a commit of ${paths} *.vault files in history: median ${junk.toFixed(0)} ms (${(junk / base).toFixed(2)}x)`);
