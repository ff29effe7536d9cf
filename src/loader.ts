import { chosenEnv, defaultChosen, openEnvironment, openVault, readAllSecrets, closeKeys, type Session } from "./vault.js";

export interface LoadOptions {
  /** The environment; default `VAULT_ENV`, then the vault's default. */
  env?: string;
  /** The vault file; default `VAULT_FILE`, then the nearest secrets.vault above `cwd`. */
  path?: string;
  /** Where to start looking for the vault; default `process.cwd()`. */
  cwd?: string;
  /** Accept an environment older than one this machine verified (bisecting); default `VAULT_ALLOW_ROLLBACK=1`. */
  allowRollback?: boolean;
}

export interface ConfigOptions extends LoadOptions {
  /** Let vault values replace variables already set (dotenv's `override`). */
  override?: boolean;
}

/**
 * The secrets of one environment, templates resolved, as `{ NAME: value }`; process.env
 * is not touched. Keys come from the usual sources in order (VAULT_KEY_<ENV>/VAULT_KEY,
 * the OS keychain, your identity, VAULT_PASSPHRASE_<ENV>/VAULT_PASSPHRASE); it never
 * prompts and never writes the vault.
 *
 * Contract: resolves with every secret, or rejects with a VaultError whose `code` (an
 * ErrorCode, stable across versions) says why and whose `hint` says what to do; any other
 * rejection is a bug. The codes a loader meets: `not_found` (no vault, or no such
 * environment), `usage` (an option that is not a name), `no_key` / `keychain_unavailable`
 * (no source holds a key; the second on a machine without a keychain), `bad_key_string` /
 * `wrong_key` / `stale_key` / `other_env_key` (a key was given, but not this environment's
 * current one), `integrity` / `replaced` / `rolled_back` (the file was changed without the
 * key, or is older than one this machine verified), `bad_vault` / `unsupported_version` /
 * `kdf_bounds` / `unsafe_vault` / `io` (not a vault it can read, or not safely).
 */
export async function load(options: LoadOptions = {}): Promise<Record<string, string>> {
  const s: Session = { cwd: options.cwd ?? process.cwd(), environ: process.env };
  if (options.path !== undefined) s.vaultPath = options.path;
  if (options.env !== undefined) s.envName = options.env;
  if (options.allowRollback ?? /^(1|true|yes)$/i.test(process.env.VAULT_ALLOW_ROLLBACK ?? "")) s.allowRollback = true;
  const v = await openVault(s);
  const envName = chosenEnv(s, v.doc);
  const opened = await openEnvironment(s, v, envName, { asDefault: defaultChosen(s) });
  try {
    // A plain object, like dotenv.parse returns; the spread keeps a secret named __proto__ as an own entry.
    return { ...readAllSecrets(v.doc, envName, opened.keys, s.environ) };
  } finally {
    closeKeys(opened.keys);
  }
}

/**
 * dotenv's `config()`: fills `process.env`, variables already set winning unless
 * `override`, and resolves with what it loaded. Rejects as `load()` does, before setting
 * anything.
 */
export async function config(options: ConfigOptions = {}): Promise<Record<string, string>> {
  const secrets = await load(options);
  for (const [name, value] of Object.entries(secrets)) {
    if (options.override || !Object.hasOwn(process.env, name)) process.env[name] = value;
  }
  return secrets;
}
