/** The in-memory shape of a vault file, format version 1 (docs/format.md). Pure data. */

export const FORMAT_VERSION = 1;

export interface PassphraseSlot {
  type: "passphrase";
  kdf: "argon2id13";
  /** Argon2id passes (crypto_pwhash opslimit). */
  ops: number;
  /** Argon2id memory in bytes (crypto_pwhash memlimit). */
  mem: number;
  salt: string;
  nonce: string;
  /** The data key, sealed with crypto_secretbox under the passphrase-derived key. */
  box: string;
}

export type KeySlot = PassphraseSlot;

export interface Environment {
  /** Identifies the current data key; derived from it, never reveals it. */
  keyId: string;
  /** Key ids this environment used before each rotation: tells a stale key from a wrong one. */
  retiredKeyIds: string[];
  slots: KeySlot[];
  /** Secret name -> sealed value ("<nonce>.<ciphertext>", base64url). */
  secrets: Record<string, string>;
  /** Keyed BLAKE2b over the environment's canonical content. */
  mac: string;
}

export interface VaultDoc {
  version: typeof FORMAT_VERSION;
  /** Random id binding every ciphertext and keychain entry to this vault. */
  id: string;
  defaultEnv: string;
  environments: Record<string, Environment>;
}
