import { DATA_KEY_BYTES, sodium, toB64 } from "./sodium.js";

/** crypto_kdf contexts are exactly 8 bytes. */
const CONTEXT = "sealenv_";
const VALUE_KEY = 1;
const MAC_KEY = 2;
const KEY_ID = 3;

/** An environment's data key and the subkeys derived from it, so no key serves two jobs. */
export interface EnvKeys {
  dataKey: Uint8Array;
  valueKey: Uint8Array;
  macKey: Uint8Array;
  keyId: string;
}

export function newDataKey(): Uint8Array {
  return sodium().crypto_kdf_keygen();
}

export function deriveKeys(dataKey: Uint8Array): EnvKeys {
  if (dataKey.length !== DATA_KEY_BYTES) throw new Error("a data key is 32 bytes");
  const lib = sodium();
  return {
    dataKey,
    valueKey: lib.crypto_kdf_derive_from_key(32, VALUE_KEY, CONTEXT, dataKey),
    macKey: lib.crypto_kdf_derive_from_key(32, MAC_KEY, CONTEXT, dataKey),
    keyId: keyIdOf(dataKey),
  };
}

/** Wipes a key and its subkeys once a command is done with them, or when a candidate is refused. */
export function wipeKeys(keys: EnvKeys): void {
  const lib = sodium();
  lib.memzero(keys.dataKey);
  lib.memzero(keys.valueKey);
  lib.memzero(keys.macKey);
}

/** A public name for a data key: 16 bytes derived from it, safe to write in the vault file. */
export function keyIdOf(dataKey: Uint8Array): string {
  return toB64(sodium().crypto_kdf_derive_from_key(16, KEY_ID, CONTEXT, dataKey));
}

/** Constant-time comparison of two base64url strings of public ids or tags. */
export function sameId(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && sodium().memcmp(x, y);
}
