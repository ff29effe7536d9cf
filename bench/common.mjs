// What the benchmarks share: a vault in a temp folder with its own HOME, timed spawns,
// paired rounds in a fresh order each time, medians and ratios.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const bin = path.join(root, "bin/vault.js");
export const rounds = Number(process.env.BENCH_ROUNDS ?? 40);

/** A folder with a HOME of its own and a vault made with a passphrase, then read with its exported key. */
export function benchVault(prefix = "sealenv-bench-") {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  const base = { PATH: process.env.PATH, HOME: dir };
  const vault = (args, extra = {}, input = "") => {
    const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env: { ...base, ...extra }, input, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (r.status !== 0) throw new Error(`vault ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  };
  vault(["init", "--passphrase"], { VAULT_PASSPHRASE: "benchmark passphrase" });
  const key = vault(["key", "export"], { VAULT_PASSPHRASE: "benchmark passphrase" }).trim();
  const env = { ...base, VAULT_KEY: key };
  return {
    dir,
    env,
    key,
    vault: (args, input = "") => vault(args, { VAULT_KEY: key }, input),
    /** Adds `count` secrets SECRET_0.. through `vault import` of a .env file. */
    fill(count, from = 0) {
      const lines = [];
      for (let i = from; i < from + count; i++) lines.push(`SECRET_${i}=${valueOf(i)}`);
      writeFileSync(path.join(dir, "fill.env"), `${lines.join("\n")}\n`);
      vault(["import", "fill.env", "--yes"], { VAULT_KEY: key });
      rmSync(path.join(dir, "fill.env"));
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The value benchVault's fill gives SECRET_i. */
export const valueOf = (i) => `value-${i}-${"x".repeat(40)}`;

/**
 * What bench/floor.cjs opens: a key, then SECRET_0..count-1 (the values fill gives), each
 * sealed with sodium-native, one `nonce:box` in hex a line. Written to `dir`; returns the file.
 */
export function floorFile(dir, count) {
  const sodium = createRequire(import.meta.url)("sodium-native");
  const key = Buffer.alloc(32);
  sodium.randombytes_buf(key);
  const lines = [key.toString("hex")];
  for (let i = 0; i < count; i++) {
    const nonce = Buffer.alloc(24);
    sodium.randombytes_buf(nonce);
    const m = Buffer.from(valueOf(i));
    const box = Buffer.alloc(m.length + 16);
    sodium.crypto_secretbox_easy(box, m, nonce, key);
    lines.push(`${nonce.toString("hex")}:${box.toString("hex")}`);
  }
  const file = path.join(dir, `floor-${count}.txt`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

/** Milliseconds one spawn takes, start to exit. */
export function timeOnce(file, args, { cwd, env, input }) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [file, ...args], { cwd, env, input, stdio: [input === undefined ? "ignore" : "pipe", "ignore", "pipe"] });
  if (r.status !== 0) throw new Error(`${file} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
}

/** Runs each case once to warm the file cache, then `rounds` rounds, each in a fresh order. */
export function paired(cases, count = rounds) {
  const times = Object.fromEntries(Object.keys(cases).map((c) => [c, []]));
  for (const run of Object.values(cases)) run();
  for (let i = 0; i < count; i++) {
    for (const [name, run] of Object.entries(cases).sort(() => Math.random() - 0.5)) times[name].push(run());
  }
  return times;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The median of each round's own ratio: robust to the machine's drift over the run. */
export function pairedRatio(xs, base) {
  return median(xs.map((x, i) => x / base[i]));
}

/** One printed figure: its median, its ratio to a baseline, and the target it is held to. */
export function report(label, ms, ratio, target) {
  const verdict = target === undefined ? "" : `  target ${target.text}: ${ratio <= target.max ? "met" : "MISSED"}`;
  console.log(`${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  ${ratio === undefined ? "" : `${ratio.toFixed(2)}x`}${verdict}`);
}
