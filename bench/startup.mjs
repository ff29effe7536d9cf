// Paired start-up benchmark: `vault run -- true`, `vault get NAME` and the floor script,
// interleaved in one loop on the same machine so load changes hit all three alike.
// Reports medians and the ratio to the floor. Target: at most 1.25x.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import sodium from "libsodium-wrappers-sumo";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin/vault.js");
const rounds = Number(process.env.BENCH_ROUNDS ?? 80);
const secrets = Number(process.env.BENCH_SECRETS ?? 20);

const dir = mkdtempSync(path.join(tmpdir(), "sealenv-bench-"));
const env = { PATH: process.env.PATH, HOME: dir, VAULT_PASSPHRASE: "benchmark passphrase" };
const vault = (args, extra = {}, input = "") => {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, env: { ...env, ...extra }, input, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`vault ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
};

vault(["init", "--passphrase"]);
const key = vault(["key", "export"]).trim();
const withKey = { VAULT_KEY: key, VAULT_PASSPHRASE: undefined };
delete withKey.VAULT_PASSPHRASE;
for (let i = 0; i < secrets; i++) vault(["set", `SECRET_${i}`], withKey, `value-${i}-${"x".repeat(40)}`);

await sodium.ready;
const k = sodium.randombytes_buf(32);
const n = sodium.randombytes_buf(24);
const b = sodium.crypto_secretbox_easy("a secret value", n, k);
const hex = (u) => Buffer.from(u).toString("hex");

const cases = {
  floor: [path.join(root, "bench/floor.mjs"), hex(k), hex(n), hex(b)],
  "vault run -- true": [bin, "run", "--", "true"],
  "vault get SECRET_0": [bin, "get", "SECRET_0"],
};
const runEnv = { PATH: process.env.PATH, HOME: dir, VAULT_KEY: key };
const times = Object.fromEntries(Object.keys(cases).map((c) => [c, []]));

const once = (args) => {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: dir, env: runEnv, stdio: "ignore" });
  if (r.status !== 0) throw new Error(`${args.join(" ")} exited ${r.status}`);
  return Number(process.hrtime.bigint() - t) / 1e6;
};

for (const args of Object.values(cases)) once(args); // warm the file cache
for (let i = 0; i < rounds; i++) {
  // A fresh order each round, so no case always runs right after another.
  const order = Object.entries(cases).sort(() => Math.random() - 0.5);
  for (const [name, args] of order) times[name].push(once(args));
}
rmSync(dir, { recursive: true, force: true });

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quartiles = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return [s[Math.floor(s.length / 4)], s[Math.floor((3 * s.length) / 4)]];
};
const floor = median(times.floor);
console.log(`sealenv start-up, ${rounds} paired rounds, ${secrets} secrets, node ${process.version}`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  const [q1, q3] = quartiles(xs);
  // Each round's own ratio, then their median: robust to the machine's drift over the run.
  const paired = median(xs.map((x, i) => x / times.floor[i]));
  console.log(
    `${name.padEnd(20)} median ${m.toFixed(1).padStart(6)} ms (IQR ${q1.toFixed(1)}-${q3.toFixed(1)})  ` +
      `ratio of medians ${(m / floor).toFixed(2)}x  median paired ratio ${paired.toFixed(2)}x`,
  );
}
