// sealenv at 10,000 secrets against itself at 10, paired in one run on the same machine:
// `run` at most 1.5x its 10-secret time, `import` of 10,000 under 1 s, `set` at most 1.3x
// `get`, and `rotate` dominated by its Argon2id work (a passphrase slot is re-sealed)
// rather than by re-encrypting values. Also Argon2id itself, native and WebAssembly.
// The floor (bench/floor.cjs) runs at both sizes too: what opening 10,000 boxes and
// handing them to a program costs any Node tool, against which `run`'s growth is read.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { benchVault, bin, floorFile, median, paired, pairedRatio, report, root, rounds, timeOnce } from "./common.mjs";

const require = createRequire(import.meta.url);
const many = Number(process.env.BENCH_MANY ?? 10000);
const scaleRounds = Math.max(5, Math.round(rounds / 4));

const small = benchVault();
small.fill(10);
const large = benchVault();
large.fill(many);
const at = (v) => ({ cwd: v.dir, env: v.env });
const passphrase = (v) => ({ cwd: v.dir, env: { ...v.env, VAULT_PASSPHRASE: "benchmark passphrase" } });

// Each round's import and rotate start from the same vault and the same machine state
// (which remembers the key generation it verified): copies made once.
const pristine = (v) => {
  const copy = path.join(v.dir, "pristine");
  mkdirSync(copy);
  for (const part of ["secrets.vault", ".config"]) cpSync(path.join(v.dir, part), path.join(copy, part), { recursive: true });
  return () => {
    for (const part of ["secrets.vault", ".config"]) {
      rmSync(path.join(v.dir, part), { recursive: true, force: true });
      cpSync(path.join(copy, part), path.join(v.dir, part), { recursive: true });
    }
  };
};
const restoreSmall = pristine(small);
const restoreLarge = pristine(large);
const empty = benchVault();
const restoreEmpty = pristine(empty);
writeFileSync(path.join(empty.dir, "many.env"), Array.from({ length: many }, (_, i) => `IMPORTED_${i}=value-${i}-${"x".repeat(40)}`).join("\n") + "\n");

const floor10 = floorFile(small.dir, 10);
const floorMany = floorFile(large.dir, many);
const floor = path.join(root, "bench/floor.cjs");
// Each set stores a value other than the one there: setting the same value writes nothing.
let sets = 0;
const times = paired({
  run10: () => timeOnce(bin, ["run", "--", "true"], at(small)),
  runMany: () => timeOnce(bin, ["run", "--", "true"], at(large)),
  floor10: () => timeOnce(floor, [floor10], at(small)),
  floorMany: () => timeOnce(floor, [floorMany], at(large)),
  getMany: () => timeOnce(bin, ["get", "SECRET_5"], at(large)),
  setMany: () => timeOnce(bin, ["set", "SECRET_5"], { ...at(large), input: `changed ${++sets}` }),
});
const slow = paired(
  {
    importMany: () => {
      restoreEmpty();
      return timeOnce(bin, ["import", "many.env", "--yes"], at(empty));
    },
    rotate10: () => {
      restoreSmall();
      return timeOnce(bin, ["rotate", "--yes"], passphrase(small));
    },
    rotateMany: () => {
      restoreLarge();
      return timeOnce(bin, ["rotate", "--yes"], passphrase(large));
    },
  },
  scaleRounds,
);
for (const v of [small, large, empty]) v.remove();

// Argon2id at sealenv's cost (libsodium's MODERATE), in this process: native, then WebAssembly.
const native = require("sodium-native");
const wasm = (await import("libsodium-wrappers-sumo")).default;
await wasm.ready;
const salt = Buffer.alloc(16, 7);
const argon = paired(
  {
    native: () => {
      const t = process.hrtime.bigint();
      native.crypto_pwhash(Buffer.alloc(32), Buffer.from("benchmark passphrase"), salt, 3, 256 * 1024 * 1024, native.crypto_pwhash_ALG_ARGON2ID13);
      return Number(process.hrtime.bigint() - t) / 1e6;
    },
    wasm: () => {
      const t = process.hrtime.bigint();
      wasm.crypto_pwhash(32, "benchmark passphrase", salt, 3, 256 * 1024 * 1024, wasm.crypto_pwhash_ALG_ARGON2ID13);
      return Number(process.hrtime.bigint() - t) / 1e6;
    },
  },
  3,
);

console.log(`\nat ${many.toLocaleString("en")} secrets, ${rounds} paired rounds (import and rotate ${scaleRounds}); medians, ratio = median of paired ratios`);
report("vault run -- true, 10 secrets", median(times.run10));
report(`vault run -- true, ${many} / 10 secrets`, median(times.runMany), pairedRatio(times.runMany, times.run10), { text: "<= 1.5x", max: 1.5 });
report(`floor, ${many} / 10 secrets`, median(times.floorMany), pairedRatio(times.floorMany, times.floor10));
report(`vault run -- true / floor, ${many} secrets`, median(times.runMany), pairedRatio(times.runMany, times.floorMany));
report(`vault get, ${many} secrets`, median(times.getMany));
report(`vault set, ${many} secrets / get`, median(times.setMany), pairedRatio(times.setMany, times.getMany), { text: "<= 1.3x", max: 1.3 });
const importMs = median(slow.importMany);
report(`vault import of ${many} (ms / 1000 ms)`, importMs, importMs / 1000, { text: "< 1 s", max: 1 });
report("vault rotate, 10 secrets (Argon2id x2 + start)", median(slow.rotate10));
const rotateRatio = pairedRatio(slow.rotateMany, slow.rotate10);
report(`vault rotate, ${many} / 10 secrets`, median(slow.rotateMany), rotateRatio);
// What the values add, as a share of the whole: under half means the KDF dominates.
report(`  share of rotate spent on ${many} values`, median(slow.rotateMany) - median(slow.rotate10), 1 - 1 / rotateRatio, { text: "< 0.50", max: 0.5 });
report("Argon2id MODERATE, native", median(argon.native));
report("Argon2id MODERATE, WebAssembly / native", median(argon.wasm), pairedRatio(argon.wasm, argon.native));
