/**
 * `require("sealenv/config")` and `node -r sealenv/config app.js`: the drop-in for
 * dotenv's, for CommonJS. Fills process.env before the app's code runs; without a key
 * (or with a vault that fails its checks) the app does not start (exit 1): one line with
 * the error's code and a hint, never a stack trace.
 */
import { configSync, isVaultError } from "./sync-loader.js";

try {
  configSync();
} catch (err) {
  // Anything but a VaultError is a bug: its stack is worth the noise.
  if (!isVaultError(err)) throw err;
  process.stderr.write(`sealenv: error (${err.code}): ${err.message}\n${err.hint ? `sealenv: hint: ${err.hint}\n` : ""}`);
  process.exit(1);
}
