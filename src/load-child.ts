/**
 * The worker behind loadSync(): CommonJS code cannot wait for libsodium's WebAssembly, so
 * the synchronous loader runs this in a child Node process and waits for it instead. It
 * reads the load options on stdin and answers on stdout with the secrets or the error,
 * as JSON: values travel through a pipe, never argv, a file or the child's environment.
 */
import { readFileSync } from "node:fs";
import { isVaultError } from "./errors.js";
import { load, type LoadOptions } from "./loader.js";

const options = JSON.parse(readFileSync(0, "utf8")) as LoadOptions;
try {
  process.stdout.write(JSON.stringify({ secrets: await load(options) }));
} catch (err) {
  const error = isVaultError(err)
    ? { code: err.code, message: err.message, hint: err.hint }
    : { code: "bug", message: `unexpected failure: ${err instanceof Error ? err.message : String(err)}` };
  process.stdout.write(JSON.stringify({ error }));
}
