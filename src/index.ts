/**
 * The library entry. `load()` and `config()` are the dotenv-style loader; the rest is the
 * domain API the CLI itself uses. Nothing here prints, prompts or exits.
 */
export { load, config, type LoadOptions, type ConfigOptions } from "./loader.js";
export { loadSync, configSync, type SyncLoadOptions, type SyncConfigOptions } from "./sync-loader.js";
export * from "./vault.js";
