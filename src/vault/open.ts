import { deriveKeys, loadSodium, verifyEnvironmentMac, wipeKeys, type EnvKeys, type EnvironmentPlace } from "../crypto/index.js";
import { isVaultError, VaultError, type ErrorCode } from "../errors.js";
import type { VaultDoc } from "../format/index.js";
import { fitOf, resolveKey, type FoundKey, type KeyContext } from "../keys/index.js";
import { environmentOf, type OpenVault, type Session } from "./session.js";
import { checkTrust, defaultMoved, rememberDefault, rememberedDefault } from "./trust.js";
import { noteVerified } from "./verified.js";

export interface OpenOptions {
  /** `vault trust`: accept the vault id and key found here, even if they do not follow from what this machine knew. */
  trust?: boolean;
  /** False: never hash a passphrase (git's drivers and scans run unasked on files anyone could write). */
  kdf?: boolean;
  /** False: `v.file` is not where the vault lives (a copy git handed over), so no location check. */
  atLocation?: boolean;
  /** False: do not record what was verified (old versions shown by `git diff`, a staged file). */
  remember?: boolean;
  /** True: an older environment may be read (textconv shows history); otherwise the session decides. */
  allowRollback?: boolean;
  /** A key the user gave directly (`vault key import`), tried instead of the sources. */
  key?: Uint8Array;
  /**
   * The environment was picked because the file names it the default (no --env, no
   * VAULT_ENV): if the default moved since this machine last used it here, the move is
   * verified before anything is read.
   */
  asDefault?: boolean;
}

/** An opened environment's keys. Outside the domain they are only handed back to it, then closed. */
export type EnvironmentKeys = EnvKeys;

/** Zeroes the keys once their work is done, so they do not sit in memory for the life of a child process. */
export function closeKeys(keys: EnvironmentKeys): void {
  wipeKeys(keys);
}

export interface OpenedEnvironment {
  envName: string;
  keys: EnvKeys;
  /** Where the key came from: "VAULT_KEY_PRODUCTION", "the OS keychain", "a passphrase"... */
  source: string;
  /** The user typed a passphrase for it: worth offering to remember the key. */
  prompted: boolean;
}

export const placeOf = (doc: VaultDoc, envName: string): EnvironmentPlace => ({ vaultId: doc.id, envName, isDefault: doc.defaultEnv === envName });

/**
 * The one door to an environment's values. Finds a key through the sources in the brief's
 * order (each skips what does not fit the environment's key id), checks the MAC over
 * everything the environment says, then holds its vault id, generation and key lineage
 * against what this machine verified before. Every command, the loader, git's drivers,
 * the scan, status and doctor come through here; nothing else obtains a key.
 *
 * An environment read with --allow-rollback that is older than one this machine knows
 * marks the vault read-only: no write ever happens under an old key.
 */
export async function openEnvironment(s: Session, v: OpenVault, envName: string, options: OpenOptions = {}): Promise<OpenedEnvironment> {
  await loadSodium();
  const env = environmentOf(v.doc, envName);
  const ctx: KeyContext = { vaultId: v.doc.id, envName, env, environ: s.environ, kdf: options.kdf !== false };
  if (s.askPassphrase && options.kdf !== false) ctx.askPassphrase = s.askPassphrase;
  const found = options.key ? explicitKey(ctx, options.key) : await resolveKey(ctx);
  try {
    noteVerified(env, found.keys, verifyEnvironmentMac(found.keys, placeOf(v.doc, envName), env));
    const current = await checkTrust({
      environ: s.environ,
      file: options.atLocation === false ? undefined : v.file,
      vaultId: v.doc.id,
      envName,
      env,
      keys: found.keys,
      keyString: Boolean(found.keyString),
      memberSlot: Boolean(found.memberSlot),
      named: s.vaultPath !== undefined || Boolean(s.environ.VAULT_FILE),
      trust: Boolean(options.trust),
      allowRollback: Boolean(options.allowRollback ?? s.allowRollback),
      remember: options.remember !== false,
    });
    if (!current) v.readOnly = `${envName} was opened as an older version (--allow-rollback)`;
    if (options.asDefault && options.atLocation !== false) await checkDefault(s, v, envName, options);
  } catch (err) {
    wipeKeys(found.keys);
    throw err;
  }
  return { envName, keys: found.keys, source: found.source, prompted: Boolean(found.prompted) };
}

/**
 * A file's `default` decides what a plain `vault run` injects, and anyone can add an
 * environment of their own and name it the default. Each environment's MAC covers whether
 * it is the default, so a genuine move re-sealed the previous default as "not default":
 * that environment, opened and verified here, vouches for the move. One this machine
 * cannot open or verify (or that is gone) leaves the move unproven: refused.
 */
async function checkDefault(s: Session, v: OpenVault, envName: string, options: OpenOptions): Promise<void> {
  const before = rememberedDefault(s.environ, v.file);
  if (before === envName) return;
  if (before !== undefined && !options.trust) {
    if (!Object.hasOwn(v.doc.environments, before)) throw defaultMoved(before, envName, `${before} is no longer in the file`);
    const previous = await tryOpenEnvironment(s, v, before, { ...options, asDefault: false });
    if ("missing" in previous) throw defaultMoved(before, envName, `no key for ${before} here`);
    if ("failed" in previous) throw defaultMoved(before, envName, previous.failed.message);
    wipeKeys(previous.opened.keys);
  }
  if (options.remember !== false) await rememberDefault(s.environ, v.file, envName);
}

function explicitKey(ctx: KeyContext, dataKey: Uint8Array): FoundKey {
  const keys = deriveKeys(dataKey);
  const fit = fitOf(ctx, keys.keyId);
  if (fit === "stale") throw new VaultError("stale_key", `the key is an old key of ${ctx.envName}: the environment was rotated since`, `export the current one with \`vault key export --env ${ctx.envName}\` where it works`);
  if (fit === "unknown") throw new VaultError("wrong_key", `the key does not belong to this vault's ${ctx.envName} environment`, "check that it was exported from this project's vault (`vault key export`)");
  return { keys, source: "the key given" };
}

/** Codes that mean "no key for it here", as opposed to "it is there and fails a check". */
const MISSING: ReadonlySet<ErrorCode> = new Set(["no_key", "wrong_key", "stale_key", "other_env_key", "bad_key_string", "keychain_unavailable"]);

export type Attempted = { opened: OpenedEnvironment } | { missing: VaultError } | { failed: VaultError };

/**
 * For those that must go on without every key (git's drivers, scan, status, doctor): the
 * door's answer as a value. `failed` is an environment that is there and fails
 * verification (tampered, rolled back, replaced, hostile): callers must say so, never use it.
 */
export async function tryOpenEnvironment(s: Session, v: OpenVault, envName: string, options: OpenOptions = {}): Promise<Attempted> {
  try {
    return { opened: await openEnvironment(s, v, envName, options) };
  } catch (err) {
    if (!isVaultError(err)) throw err;
    return MISSING.has(err.code) ? { missing: err } : { failed: err };
  }
}

/** The door's answer reduced to what git's drivers need: keys, none here, or a named failure. */
export type KeyAnswer = { keys: EnvKeys } | { missing: true } | { failed: string };

export function keyAnswer(attempt: Attempted): KeyAnswer {
  if ("opened" in attempt) return { keys: attempt.opened.keys };
  if ("missing" in attempt) return { missing: true };
  return { failed: attempt.failed.message };
}

/** Opens each named environment through the door (each must exist), for work that needs several keys at once. */
export async function openEnvironments(s: Session, v: OpenVault, envNames: string[]): Promise<Map<string, EnvironmentKeys>> {
  const keys = new Map<string, EnvironmentKeys>();
  for (const envName of envNames) {
    environmentOf(v.doc, envName);
    keys.set(envName, (await openEnvironment(s, v, envName)).keys);
  }
  return keys;
}
