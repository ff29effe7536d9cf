// What reading a vault's history costs through git: `git diff HEAD~1` and `git log -p` of
// a vault of 1,000 secrets through sealenv's textconv driver (masked, as `vault git setup`
// sets it up: git's textconv cache on, measured warm and cold), against the same through
// git-crypt on a plaintext .env of the same 1,000 secrets (its own textconv, `git-crypt
// diff`; git-crypt sets no cache, and one would keep plaintext). Each repository gets its
// own HOME; the commits change the same few values.
// Paired, interleaved rounds in a fresh order each; medians, and the ratio
// sealenv/git-crypt. Target: at most 2x. Also the floor of a textconv driver on Node (it
// starts Node and prints the file) for the cold runs, where git starts the driver once per
// version. BENCH_ROUNDS overrides the number of rounds.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin/vault.js");
const rounds = Number(process.env.BENCH_ROUNDS ?? 8);
const SECRETS = 1000;
const COMMITS = 3;
const CHANGED = 10;

const tmp = mkdtempSync(path.join(tmpdir(), "sealenv-bench-git-"));
const identity = { GIT_AUTHOR_NAME: "bench", GIT_AUTHOR_EMAIL: "bench@example.com", GIT_COMMITTER_NAME: "bench", GIT_COMMITTER_EMAIL: "bench@example.com" };

/** A folder with its own HOME and a `sealenv` on PATH, as git's drivers expect to find it. */
function place(name) {
  const dir = path.join(tmp, name, "repo");
  const home = path.join(tmp, name, "home");
  const shims = path.join(tmp, name, "bin");
  for (const d of [dir, home, shims]) mkdirSync(d, { recursive: true });
  writeFileSync(path.join(shims, "sealenv"), `#!/bin/sh\nexec '${process.execPath}' '${bin}' "$@"\n`);
  chmodSync(path.join(shims, "sealenv"), 0o755);
  return { dir, env: { PATH: `${shims}:${process.env.PATH}`, HOME: home, LANG: "C.UTF-8", ...identity } };
}

function run(p, program, args, extra = {}, input) {
  const r = spawnSync(program, args, { cwd: p.dir, env: { ...p.env, ...extra }, input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${program} ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}
const git = (p, args, extra) => run(p, "git", args, extra);
const vault = (p, args, extra, input) => run(p, process.execPath, [bin, ...args], extra, input);

const value = () => randomBytes(24).toString("base64url");
const names = Array.from({ length: SECRETS }, (_, i) => `SECRET_${String(i).padStart(4, "0")}`);
const values = new Map(names.map((n) => [n, value()]));
/** Per commit, the names it changes and their new values (the same for both tools). */
const changes = Array.from({ length: COMMITS }, (_, c) => names.slice(c * CHANGED * 7, c * CHANGED * 7 + CHANGED).map((n) => [n, value()]));
const dotenv = (entries) => entries.map(([n, v]) => `${n}=${v}\n`).join("");

// sealenv: a vault made with a passphrase, then read with its key string, as a developer would.
const s = place("sealenv");
git(s, ["init", "-q", "-b", "main"]);
vault(s, ["init", "--passphrase"], { VAULT_PASSPHRASE: "benchmark passphrase" });
s.env.VAULT_KEY = vault(s, ["key", "export"], { VAULT_PASSPHRASE: "benchmark passphrase" }).trim();
vault(s, ["import", "-"], {}, dotenv([...values]));
vault(s, ["git", "setup"]);
git(s, ["add", "-A"]);
git(s, ["commit", "-qm", "1,000 secrets"]);
for (const [c, entries] of changes.entries()) {
  vault(s, ["import", "-"], {}, dotenv(entries));
  git(s, ["commit", "-qam", `change ${c + 1}`]);
}

// git-crypt: the same secrets as a .env it encrypts in the repository and decrypts to diff.
const hasGitCrypt = spawnSync("git-crypt", ["--version"], { stdio: "ignore" }).status === 0;
const g = place("git-crypt");
if (hasGitCrypt) {
  git(g, ["init", "-q", "-b", "main"]);
  run(g, "git-crypt", ["init"]);
  writeFileSync(path.join(g.dir, ".gitattributes"), ".env filter=git-crypt diff=git-crypt\n");
  const current = new Map(values);
  writeFileSync(path.join(g.dir, ".env"), dotenv([...current]));
  git(g, ["add", "-A"]);
  git(g, ["commit", "-qm", "1,000 secrets"]);
  for (const [c, entries] of changes.entries()) {
    for (const [n, v] of entries) current.set(n, v);
    writeFileSync(path.join(g.dir, ".env"), dotenv([...current]));
    git(g, ["commit", "-qam", `change ${c + 1}`]);
  }
}

const CACHE = "refs/notes/textconv/sealenv";
const dropCache = () => spawnSync("git", ["update-ref", "-d", CACHE], { cwd: s.dir, env: s.env });
/** Before a warm run, every version cached (a cold run before it may have left only some). */
const fillCache = () => spawnSync("git", ["log", "-p", "--", "secrets.vault"], { cwd: s.dir, env: s.env, stdio: "ignore" });
const diffArgs = (file) => ["diff", "HEAD~1", "--", file];
const logArgs = (file) => ["log", "-p", "--", file];
// The floor of any textconv driver written for Node: one that starts Node and prints the
// file as it is. git starts it once per version shown, as it starts sealenv's.
const nodeCat = `'${process.execPath}' -e 'process.stdout.write(require("fs").readFileSync(process.argv[1]))'`;
const throughNode = ["-c", `diff.sealenv.textconv=${nodeCat}`, "-c", "diff.sealenv.cachetextconv=false"];
const cases = {
  "node floor diff": { p: s, args: [...throughNode, ...diffArgs("secrets.vault")] },
  "node floor log": { p: s, args: [...throughNode, ...logArgs("secrets.vault")] },
  "sealenv diff": { p: s, args: diffArgs("secrets.vault"), before: fillCache },
  "sealenv diff cold": { p: s, args: diffArgs("secrets.vault"), before: dropCache },
  "sealenv log": { p: s, args: logArgs("secrets.vault"), before: fillCache },
  "sealenv log cold": { p: s, args: logArgs("secrets.vault"), before: dropCache },
  ...(hasGitCrypt ? { "git-crypt diff": { p: g, args: diffArgs(".env") }, "git-crypt log": { p: g, args: logArgs(".env") } } : {}),
};

function once({ p, args, before }) {
  before?.();
  const t = process.hrtime.bigint();
  const r = spawnSync("git", args, { cwd: p.dir, env: p.env, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0 || r.stdout.length === 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
  return ms;
}

// What each shows: one changed line per secret changed, never a value in sealenv's.
const shown = spawnSync("git", diffArgs("secrets.vault"), { cwd: s.dir, env: s.env, encoding: "utf8" }).stdout;
if (!/^\+SECRET_\d{4} {2}fingerprint [0-9a-f]{8}$/m.test(shown) || changes.flat().some(([, v]) => shown.includes(v))) throw new Error(`unexpected sealenv diff:\n${shown}`);

const times = Object.fromEntries(Object.keys(cases).map((c) => [c, []]));
for (const c of Object.values(cases)) once(c); // warm the file cache (and git's textconv cache)
for (let i = 0; i < rounds; i++) {
  // A fresh order each round, so no case always runs right after another.
  for (const [name, c] of Object.entries(cases).sort(() => Math.random() - 0.5)) {
    times[name].push(once(c));
  }
}
rmSync(tmp, { recursive: true, force: true });

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
};
console.log(`git through sealenv's textconv vs git-crypt's, ${rounds} interleaved rounds, ${SECRETS.toLocaleString("en-US")} secrets, ${COMMITS} commits of ${CHANGED} changes, node ${process.version}`);
if (!hasGitCrypt) console.log("git-crypt not installed: skipped (sealenv's figures alone)");
const figures = [
  ["git diff, 1,000 secrets", "sealenv diff", "git-crypt diff"],
  ["git diff, 1,000 secrets, cold textconv cache", "sealenv diff cold", "git-crypt diff"],
  [`git log -p, 1,000 secrets, ${COMMITS + 1} commits`, "sealenv log", "git-crypt log"],
  [`git log -p, 1,000 secrets, ${COMMITS + 1} commits, cold textconv cache`, "sealenv log cold", "git-crypt log"],
];
for (const [label, ours, theirs] of figures) {
  const m = median(times[ours]);
  if (!hasGitCrypt) {
    console.log(`${label}: median ${m.toFixed(1)} ms`);
    continue;
  }
  const other = median(times[theirs]);
  console.log(`${label}: median ${m.toFixed(1)} ms, git-crypt ${other.toFixed(1)} ms, ratio ${(m / other).toFixed(2)}x (target <= 2x)`);
}
for (const [label, ours, floor] of [
  ["git diff, cold cache / Node textconv floor", "sealenv diff cold", "node floor diff"],
  ["git log -p, cold cache / Node textconv floor", "sealenv log cold", "node floor log"],
]) {
  console.log(`${label}: median ${median(times[ours]).toFixed(1)} ms, floor ${median(times[floor]).toFixed(1)} ms, ratio ${(median(times[ours]) / median(times[floor])).toFixed(2)}x`);
}
