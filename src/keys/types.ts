import type { EnvKeys } from "../crypto/index.js";
import type { Environment } from "../format/index.js";

/** What a key source needs to know to find one environment's data key. */
export interface KeyContext {
  vaultId: string;
  envName: string;
  env: Environment;
  environ: NodeJS.ProcessEnv;
  /** Asks the user for a passphrase; absent when we must not prompt (no TTY, --yes). */
  askPassphrase?: (question: string) => Promise<string>;
  /**
   * False where no passphrase may be hashed (git's drivers, scans): Argon2id costs seconds
   * and gigabytes, and those run unasked, on files anyone could have written.
   */
  kdf?: boolean;
}

/** One line of "what was tried", for the error when no source has the key. */
export interface Attempt {
  source: string;
  outcome: string;
  /** Set when the attempt found a key from before a rotation. */
  stale?: boolean;
  /** Set when the source holds the key of another environment (named here). */
  otherEnv?: string;
  /** Set when this user's identity exists but is not among the environment's members. */
  notMember?: boolean;
  /** Set when the source cannot work on this machine at all. */
  unavailable?: boolean;
}

export interface FoundKey {
  keys: EnvKeys;
  /** Where it came from, for messages: "VAULT_KEY_PRODUCTION", "the OS keychain", "a passphrase". */
  source: string;
  /** The user typed a passphrase for it: worth offering to remember the key. */
  prompted?: boolean;
  /** It came from a key string the user set (VAULT_KEY*), which names the key itself. */
  keyString?: boolean;
  /** It came from a member slot: anyone can seal a box to a public key, so only history or memory vouch for it. */
  memberSlot?: boolean;
}

/**
 * A way to unlock an environment (env var, keychain, identity, passphrase), tried in order.
 *
 * Contract, the same for every source; `find` answers one of three ways:
 * - found: a key whose id is the environment's current `keyId` (the caller then checks
 *   the MAC and the lineage);
 * - not here: undefined, after pushing at least one Attempt that says why. This is the
 *   answer for everything the machine merely holds: nothing stored, a store that does not
 *   answer, a stale or foreign key, a slot that opens to a key that does not fit, a stored
 *   entry that is not a key at all. It never throws for these: a later source may open it;
 * - fails: throws a VaultError (never another error) for what the user must fix before
 *   anything else is tried: a variable they set for this run (VAULT_KEY_<ENV>,
 *   VAULT_IDENTITY, VAULT_PASSPHRASE*) that is broken, stale or wrong, a private key file
 *   others may read or that cannot be read, a typed passphrase wrong three times, a
 *   prompt cancelled.
 */
export interface KeySource {
  find(ctx: KeyContext, attempts: Attempt[]): Promise<FoundKey | undefined>;
}
