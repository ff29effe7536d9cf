/**
 * `require("sealenv/config")` and `node -r sealenv/config app.js`: the drop-in for
 * dotenv's, for CommonJS. Fills process.env before the app's code runs; without a key
 * (or with a vault that fails its checks) the app does not start (exit 1): one line with
 * the error's code and a hint, never a stack trace.
 */
import { configSync, type SealenvError } from "./sync-loader.js";

try {
  configSync();
} catch (err) {
  const e = err as SealenvError;
  process.stderr.write(`sealenv: error (${e.code}): ${e.message}\n${e.hint ? `sealenv: hint: ${e.hint}\n` : ""}`);
  process.exit(1);
}
