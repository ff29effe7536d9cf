/**
 * The library entry: what `import ... from "sealenv"` offers, each a semver promise.
 * `load()` and `config()` (and their sync forms) are the dotenv-style loader; a failure
 * is a VaultError whose `code` says which (see ErrorCode). Nothing here prints, prompts
 * or exits. The CLI's domain API is internal and not exported.
 */
export { load, config, type LoadOptions, type ConfigOptions } from "./loader.js";
export { loadSync, configSync, type SyncLoadOptions, type SyncConfigOptions } from "./sync-loader.js";
export { VaultError, isVaultError, type ErrorCode } from "./errors.js";
