// Start-up of the two commands on every start of a user's program, at 10 secrets:
// `vault run -- true` and `vault get`, paired against the floor (bench/floor.cjs:
// CommonJS on sodium-native, the least a Node tool on libsodium can do) and against
// `dotenvx run` on the same 10 secrets. Targets: at most 1.10x the floor, at most 0.25x dotenvx.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { benchVault, floorFile, median, paired, pairedRatio, report, root, bin, timeOnce, rounds, valueOf } from "./common.mjs";

const require = createRequire(import.meta.url);
const secrets = Number(process.env.BENCH_SECRETS ?? 10);
const values = Array.from({ length: secrets }, (_, i) => valueOf(i));

const v = benchVault();
v.fill(secrets);

// The floor's boxes: the same values, sealed with sodium-native.
const floor = floorFile(v.dir, secrets);

// dotenvx on the same values, encrypted by dotenvx itself.
const dotenvx = path.join(path.dirname(require.resolve("@dotenvx/dotenvx/package.json")), "src/cli/dotenvx.js");
writeFileSync(path.join(v.dir, ".env"), values.map((value, i) => `SECRET_${i}=${value}`).join("\n") + "\n");
const enc = spawnSync(process.execPath, [dotenvx, "encrypt", "-f", ".env"], { cwd: v.dir, env: v.env, encoding: "utf8" });
if (enc.status !== 0) throw new Error(`dotenvx encrypt failed: ${enc.stderr}`);
const privateKey = /DOTENV_PRIVATE_KEY="?([0-9a-f]+)/.exec(readFileSync(path.join(v.dir, ".env.keys"), "utf8"))?.[1];
const dotenvxEnv = { PATH: process.env.PATH, HOME: v.dir, DOTENV_PRIVATE_KEY: privateKey };

const at = { cwd: v.dir, env: v.env };
const times = paired({
  floor: () => timeOnce(path.join(root, "bench/floor.cjs"), [floor], at),
  run: () => timeOnce(bin, ["run", "--", "true"], at),
  get: () => timeOnce(bin, ["get", "SECRET_0"], at),
  dotenvx: () => timeOnce(dotenvx, ["run", "-q", "-f", ".env", "--", "true"], { cwd: v.dir, env: dotenvxEnv }),
});
v.remove();

console.log(`start-up at ${secrets} secrets, ${rounds} paired rounds, node ${process.version}, libsodium native; medians, ratio = median of paired ratios`);
report("floor (CommonJS, sodium-native)", median(times.floor));
report("vault run -- true / floor", median(times.run), pairedRatio(times.run, times.floor), { text: "<= 1.10x", max: 1.1 });
report("vault get SECRET_0 / floor", median(times.get), pairedRatio(times.get, times.floor), { text: "<= 1.10x", max: 1.1 });
report("dotenvx run -- true", median(times.dotenvx));
report("vault run -- true / dotenvx run", median(times.run), pairedRatio(times.run, times.dotenvx), { text: "<= 0.25x", max: 0.25 });
