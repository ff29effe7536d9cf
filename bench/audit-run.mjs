// `vault run -- true` and its audit record, on an environment of 10 secrets and of N
// (default 10,000): the bytes each run adds to audit.log, and the median time of a run.
// Rounds alternate between the two vaults so load changes hit both alike.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin/vault.js");
const rounds = Number(process.env.BENCH_ROUNDS ?? 11);
const big = Number(process.env.BENCH_SECRETS ?? 10000);
const base = mkdtempSync(path.join(tmpdir(), "sealenv-audit-bench-"));

function vault(w, args, extra = {}, input = "") {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: w.proj, input, encoding: "utf8", env: { PATH: process.env.PATH, HOME: w.home, ...extra } });
  if (r.status !== 0) throw new Error(`vault ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function setup(count) {
  const w = { home: path.join(base, `home-${count}`), proj: path.join(base, `proj-${count}`) };
  for (const d of [w.home, w.proj]) mkdirSync(d, { recursive: true });
  vault(w, ["init", "--passphrase"], { VAULT_PASSPHRASE: "benchmark passphrase" });
  w.key = vault(w, ["key", "export"], { VAULT_PASSPHRASE: "benchmark passphrase" }).trim();
  const names = Array.from({ length: count }, (_, i) => `SERVICE_SECRET_${String(i).padStart(5, "0")}`);
  vault(w, ["import", "-"], { VAULT_KEY: w.key }, names.map((n, i) => `${n}=value-${i}\n`).join(""));
  w.count = count;
  w.times = [];
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

const vaults = [setup(10), setup(big)];
for (const w of vaults) runOnce(w); // warm the file cache
for (const w of vaults) w.times = [];
for (let i = 0; i < rounds; i++) for (const w of i % 2 ? [...vaults].reverse() : vaults) runOnce(w);
const lastRecord = (w) => readFileSync(log(w), "utf8").trim().split("\n").pop();
console.log(`vault run -- true, median of ${rounds}, node ${process.version}`);
for (const w of vaults) {
  console.log(`  ${String(w.count).padStart(6)} secrets: ${median(w.times).toFixed(0)} ms, ${w.bytes} bytes of audit log per run (${lastRecord(w).length} chars)`);
}
rmSync(base, { recursive: true, force: true });
