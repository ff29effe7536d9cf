import { VaultError } from "../errors.js";
import type { PassphraseSlot } from "../format/index.js";
import { DATA_KEY_BYTES, fromB64, NONCE_BYTES, randomBytes, sodium, toB64 } from "./sodium.js";

/**
 * Argon2id bounds, checked before any hashing. Our own numbers: libsodium's *_MAX
 * constants overflow to negative values in JS. The floor is libsodium's MODERATE cost
 * (a slot committed to git can be attacked offline forever); the ceiling, with at most
 * two passphrase slots per environment, keeps what a hostile file can make a read spend
 * before anything is verified to a few seconds (a slot costs at most 8/3 of MODERATE).
 */
export const KDF_BOUNDS = {
  opsMin: 3,
  opsMax: 4,
  memMin: 256 * 1024 * 1024,
  memMax: 512 * 1024 * 1024,
} as const;

/** The Argon2id work a slot asks for, to try the cheapest first. */
export const kdfCost = (slot: Pick<PassphraseSlot, "ops" | "mem">): number => slot.ops * slot.mem;

const KDF_DEFAULT = { ops: 3, mem: 256 * 1024 * 1024 } as const;

const PASSPHRASE_MIN_LENGTH = 12;

const SALT_BYTES = 16;

export function checkNewPassphrase(passphrase: string): void {
  if ([...passphrase].length < PASSPHRASE_MIN_LENGTH) {
    throw new VaultError(
      "usage",
      `passphrase too short: use at least ${PASSPHRASE_MIN_LENGTH} characters`,
      "a slot in a committed file can be attacked offline forever; try four random words, or use the keychain",
    );
  }
}

export function checkKdfParams(slot: Pick<PassphraseSlot, "ops" | "mem">): void {
  const { opsMin, opsMax, memMin, memMax } = KDF_BOUNDS;
  if (slot.ops < opsMin || slot.mem < memMin) {
    throw new VaultError("kdf_bounds", "passphrase slot uses a weaker Argon2id cost than sealenv accepts (a downgrade)", "restore secrets.vault from git");
  }
  if (slot.ops > opsMax || slot.mem > memMax) {
    throw new VaultError("kdf_bounds", "passphrase slot asks for more Argon2id work than sealenv allows", "restore secrets.vault from git");
  }
}

function derive(passphrase: string, salt: Uint8Array, ops: number, mem: number): Uint8Array {
  const lib = sodium();
  const kek = lib.crypto_pwhash_argon2id(32, Buffer.from(passphrase.normalize("NFC"), "utf8"), salt, ops, mem);
  if (lib.is_zero(kek)) throw new VaultError("bad_vault", "passphrase slot derived an all-zero key", "restore secrets.vault from git");
  return kek;
}

export function sealPassphraseSlot(dataKey: Uint8Array, passphrase: string, cost: { ops: number; mem: number } = KDF_DEFAULT): PassphraseSlot {
  checkNewPassphrase(passphrase);
  checkKdfParams(cost);
  const lib = sodium();
  const salt = randomBytes(SALT_BYTES);
  const nonce = randomBytes(NONCE_BYTES);
  const kek = derive(passphrase, salt, cost.ops, cost.mem);
  const box = lib.crypto_secretbox_easy(dataKey, nonce, kek);
  lib.memzero(kek);
  return { type: "passphrase", kdf: "argon2id13", ops: cost.ops, mem: cost.mem, salt: toB64(salt), nonce: toB64(nonce), box: toB64(box) };
}

/** The data key, or undefined when the passphrase does not open this slot. */
export function openPassphraseSlot(slot: PassphraseSlot, passphrase: string): Uint8Array | undefined {
  checkKdfParams(slot);
  const lib = sodium();
  const salt = fromB64(slot.salt);
  const nonce = fromB64(slot.nonce);
  const box = fromB64(slot.box);
  if (!salt || salt.length !== SALT_BYTES || !nonce || nonce.length !== NONCE_BYTES || !box) {
    throw new VaultError("bad_vault", "passphrase slot is malformed", "restore secrets.vault from git");
  }
  const kek = derive(passphrase, salt, slot.ops, slot.mem);
  try {
    const key = lib.crypto_secretbox_open_easy(box, nonce, kek);
    return key.length === DATA_KEY_BYTES ? key : undefined;
  } catch {
    return undefined;
  } finally {
    lib.memzero(kek);
  }
}
