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

/**
 * How a member's key came and how its box is sealed: a sealenv identity or an ssh-ed25519
 * key converted to X25519 (crypto_box_seal), an age X25519 recipient (the box is an age
 * file), or an age plugin recipient (`age1NAME1...`: an age file the age tool writes
 * with age-plugin-NAME). docs/format.md.
 */
export type RecipientKind = "sealenv" | "ssh-ed25519" | "age" | "age-plugin";

/** The data key sealed to one member's X25519 public key. */
export interface RecipientSlot {
  type: "recipient";
  /** Who it is for, as named in `vault member add`: a label, not an identity. */
  member: string;
  kind: RecipientKind;
  /**
   * The recipient's X25519 public key (for age, the key its `age1...` string encodes); for
   * age-plugin, the UTF-8 bytes of the plugin recipient string itself.
   */
  pk: string;
  /** crypto_box_seal of the data key; for kinds "age" and "age-plugin", a binary age file of it. */
  box: string;
}

export type KeySlot = PassphraseSlot | RecipientSlot;

/**
 * Written by each rotation and signed with the old key's signing key: "the key `from`
 * hands over to `to`, at `generation`, whose signing key is `signer`". Anyone who trusted
 * `from` can check it without holding any key, so a replacement made without the old key
 * cannot pose as a rotation.
 */
export interface KeyLink {
  from: string;
  to: string;
  generation: number;
  signer: string;
  sig: string;
}

export interface Environment {
  /** 0 when created, +1 on every rotation: a lower one than a machine has seen is a rollback. */
  generation: number;
  /** Identifies the current data key; derived from it, never reveals it. */
  keyId: string;
  /** The Ed25519 public key derived from the data key; it signs the link to the next key. */
  signer: string;
  /** Key ids this environment used before each rotation: tells a stale key from a wrong one. */
  retiredKeyIds: string[];
  keyLinks: KeyLink[];
  slots: KeySlot[];
  /** Secret name -> sealed value ("<nonce>.<ciphertext>", base64url). A null-prototype record. */
  secrets: Record<string, string>;
  /** Keyed BLAKE2b over everything above, the vault id, the name and whether it is the default. */
  mac: string;
}

export interface VaultDoc {
  version: typeof FORMAT_VERSION;
  /** Random id binding every ciphertext and keychain entry to this vault. */
  id: string;
  defaultEnv: string;
  /** A null-prototype record: `constructor` is an ordinary environment name. */
  environments: Record<string, Environment>;
}
