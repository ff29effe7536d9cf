// A writer for the reliability tests, using the built library as a program would.
//   node set-worker.mjs distinct PREFIX N   -> N sets of PREFIX_0..N-1
//   node set-worker.mjs counter             -> forever: COUNTER and COUNTER_COPY set together to 1, 2, 3...,
//                                              printing each number once its write is complete
import { chosenEnv, openEnvironment, openVault, setSecrets } from "../../dist/vault.js";
import { readRawSecrets } from "../../dist/vault/secrets.js";

const [mode, prefix, n] = process.argv.slice(2);
const s = { cwd: process.cwd(), environ: process.env };
const v = await openVault(s);
const env = chosenEnv(s, v.doc);
const { keys } = await openEnvironment(s, v, env);
if (mode === "distinct") {
  for (let i = 0; i < Number(n); i++) await setSecrets(v, env, keys, { [`${prefix}_${i}`]: `value-${prefix}-${i}` });
} else {
  let i = Number(readRawSecrets(v.doc, env, keys).COUNTER ?? 0);
  for (;;) {
    i++;
    await setSecrets(v, env, keys, { COUNTER: String(i), COUNTER_COPY: String(i) });
    process.stdout.write(`${i}\n`);
  }
}
