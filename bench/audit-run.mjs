// `vault run -- true` and its audit record, on an environment of 10 secrets and of N
// (default 10,000): the bytes each run adds to audit.log, and the median time of a run.
// BENCH_BASELINE names another build's bin/vault.js (an older checkout's): both are then
// timed in the same rounds, in a fresh random order each round, so load on the machine
// hits them alike.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
const big = Number(process.env.BENCH_SECRETS ?? 10000);
const builds = { "this build": path.join(root, "bin/vault.js") };
if (process.env.BENCH_BASELINE) builds.baseline = path.resolve(process.env.BENCH_BASELINE);
const base = mkdtempSync(path.join(tmpdir(), "sealenv-audit-bench-"));

function vault(w, args, extra = {}, input = "") {
  const r = spawnSync(process.execPath, [w.bin, ...args], { cwd: w.proj, input, encoding: "utf8", env: { PATH: process.env.PATH, HOME: w.home, ...extra } });
  if (r.status !== 0) throw new Error(`vault ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function setup(build, count) {
  const dir = path.join(base, `${build.replace(/ /g, "-")}-${count}`);
  const w = { build, count, bin: builds[build], home: path.join(dir, "home"), proj: path.join(dir, "proj"), times: [] };
  for (const d of [w.home, w.proj]) mkdirSync(d, { recursive: true });
  vault(w, ["init", "--passphrase"], { VAULT_PASSPHRASE: "benchmark passphrase" });
  w.key = vault(w, ["key", "export"], { VAULT_PASSPHRASE: "benchmark passphrase" }).trim();
  const names = Array.from({ length: count }, (_, i) => `SERVICE_SECRET_${String(i).padStart(5, "0")}`);
  vault(w, ["import", "-"], { VAULT_KEY: w.key }, names.map((n, i) => `${n}=value-${i}\n`).join(""));
  return w;
}

const log = (w) => path.join(w.home, ".config", "sealenv", "audit.log");

function runOnce(w) {
  const before = statSync(log(w)).size;
  const t = process.hrtime.bigint();
  vault(w, ["run", "--", "true"], { VAULT_KEY: w.key });
  w.times.push(Number(process.hrtime.bigint() - t) / 1e6);
  w.bytes = statSync(log(w)).size - before;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

const cases = Object.keys(builds).flatMap((build) => [setup(build, 10), setup(build, big)]);
for (const w of cases) runOnce(w); // warm the file cache
for (const w of cases) w.times = [];
for (let i = 0; i < rounds; i++) for (const w of [...cases].sort(() => Math.random() - 0.5)) runOnce(w);
console.log(`vault run -- true, median of ${rounds}, node ${process.version}`);
for (const w of cases) {
  console.log(`  ${w.build.padEnd(10)} ${String(w.count).padStart(6)} secrets: ${median(w.times).toFixed(0).padStart(4)} ms, ${w.bytes} bytes of audit log per run`);
}
rmSync(base, { recursive: true, force: true });
