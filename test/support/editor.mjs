// A scripted $EDITOR for the tests: EDIT_ACTIONS (JSON) says what to do to the file.
//   record: a path where it writes { file, fileMode, dirMode, text } of what it was given
//   invocation: a path where it writes { argv, envNames }: its arguments and the names in its environment
//   replace: [[from, to], ...] text replacements, in order
//   append: text added at the end
//   counter + thenReplace: on the second run (counted in the file `counter`), use thenReplace instead
//   sleep: milliseconds to wait before exiting (for the signal tests)
//   exit: the exit code
//   vault + vaultEnv: [[args...], ...] runs the real `vault` with each argument list (and the extra
//     environment vaultEnv) before saving: another process writing while the editor is open
// The file is the last argument: vault may put editor options before it.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const file = process.argv.at(-1);
const actions = JSON.parse(process.env.EDIT_ACTIONS ?? "{}");
const text = readFileSync(file, "utf8");
if (actions.record) {
  // Written whole, then renamed into place: a test waiting for the file must never read half of it.
  writeFileSync(`${actions.record}.tmp`, JSON.stringify({ file, fileMode: statSync(file).mode & 0o777, dirMode: statSync(path.dirname(file)).mode & 0o777, text }));
  renameSync(`${actions.record}.tmp`, actions.record);
}
if (actions.invocation) {
  writeFileSync(actions.invocation, JSON.stringify({ argv: process.argv.slice(2), envNames: Object.keys(process.env) }));
}
let replace = actions.replace ?? [];
if (actions.counter) {
  const runs = existsSync(actions.counter) ? Number(readFileSync(actions.counter, "utf8")) + 1 : 1;
  writeFileSync(actions.counter, String(runs));
  if (runs > 1) replace = actions.thenReplace ?? [];
}
let next = text;
for (const [from, to] of replace) next = next.replace(from, to);
if (actions.append) next += actions.append;
const bin = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../bin/vault.js");
for (const args of actions.vault ?? []) {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...actions.vaultEnv }, stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) process.exit(70);
}
if (next !== text) writeFileSync(file, next);
if (actions.sleep) await new Promise((r) => setTimeout(r, actions.sleep));
process.exit(actions.exit ?? 0);
