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

/** The data key sealed (crypto_box_seal) to one member's X25519 public key. */
export interface RecipientSlot {
  type: "recipient";
  /** Who it is for, as named in `vault member add`. */
  member: string;
  /** Where the X25519 key comes from: a sealenv identity, or converted from ssh-ed25519. */
  kind: "sealenv" | "ssh-ed25519";
  /** The recipient's X25519 public key. */
  pk: string;
  box: string;
}

export type KeySlot = PassphraseSlot | RecipientSlot;

/**
 * Written by each rotation: carries the new key's link key, sealed under the old one, so a
 * client that knew the old key can verify that the new key id came from a key holder.
 */
export interface KeyLink {
  from: string;
  to: string;
  nonce: string;
  box: string;
}

export interface Environment {
  /** Identifies the current data key; derived from it, never reveals it. */
  keyId: string;
  /** Key ids this environment used before each rotation: tells a stale key from a wrong one. */
  retiredKeyIds: string[];
  keyLinks: KeyLink[];
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
