/**
 * `import "sealenv/config"` and `node --import sealenv/config app.mjs`: the drop-in for
 * `import "dotenv/config"`. Fills process.env from the vault before the importing module
 * runs (top-level await). Without a key (or with a vault that fails its checks) the app
 * does not start (exit 1): one line with the error's code and a hint, never a stack trace.
 */
import { isVaultError } from "./errors.js";
import { config } from "./loader.js";

try {
  await config();
} catch (err) {
  if (!isVaultError(err)) throw err;
  process.stderr.write(`sealenv: error (${err.code}): ${err.message}\n${err.hint ? `sealenv: hint: ${err.hint}\n` : ""}`);
  process.exit(1);
}
