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
}

/** A way to unlock an environment (env var, keychain, passphrase...), tried in order. */
export interface KeySource {
  find(ctx: KeyContext, attempts: Attempt[]): Promise<FoundKey | undefined>;
}
