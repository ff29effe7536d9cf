import { sodium } from "./sodium.js";
import type { EnvKeys } from "./subkeys.js";

const CONTEXT = "sealenv_";
const FINGERPRINT_KEY = 4;

/**
 * Short keyed fingerprints of an environment's values, for diffs: equal values give equal
 * fingerprints (even across re-encryption), and without the key they reveal nothing. The
 * fingerprint key is derived once for all the values of a diff; `wipe` when done.
 */
export function valueFingerprints(keys: EnvKeys): { of(value: string): string; wipe(): void } {
  const lib = sodium();
  const key = lib.crypto_kdf_derive_from_key(32, FINGERPRINT_KEY, CONTEXT, keys.dataKey);
  return {
    of: (value) => Buffer.from(lib.crypto_generichash(16, Buffer.from(value, "utf8"), key).subarray(0, 4)).toString("hex"),
    wipe: () => lib.memzero(key),
  };
}

/** For readers without the key: changes whenever the ciphertext does. */
export function sealedFingerprint(sealed: string): string {
  return Buffer.from(sodium().crypto_generichash(16, Buffer.from(sealed, "utf8"), null).subarray(0, 4)).toString("hex");
}

/**
 * A member's key as people compare it: 16 hex digits of BLAKE2b over the public key, in
 * groups of four. Two slots with one label but different fingerprints are two keys.
 */
export function publicKeyFingerprint(pk: string): string {
  const hex = Buffer.from(sodium().crypto_generichash(32, Buffer.from(pk, "base64url"), null).subarray(0, 8)).toString("hex");
  return hex.match(/.{4}/g)!.join(":");
}
