import { decrypt, PrivateKey, PublicKey } from "eciesjs";

/**
 * dotenvx's value encryption, read with eciesjs: the ECIES dotenvx itself encrypts with
 * (secp256k1, HKDF-SHA256, AES-256-GCM in eciesjs's default configuration), so we read
 * exactly what it wrote, the way it reads it: the private key is 64 hex digits, the value
 * after `encrypted:` is base64 of `ephemeral public key || nonce || ciphertext || tag`.
 * Pure: it is handed the key and the value, finds nothing and prints nothing.
 */
/** eciesjs's default layout: an uncompressed secp256k1 point, a 16-byte nonce, a 16-byte tag. */
const EPHEMERAL_KEY_BYTES = 65;
const MIN_PAYLOAD_BYTES = EPHEMERAL_KEY_BYTES + 16 + 16;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const PRIVATE_KEY = /^[0-9a-fA-F]{64}$/;

/** A private key ready to decrypt; `wipe` when done. */
export interface DotenvxKey {
  readonly bytes: Buffer;
  wipe(): void;
}

/** The private key a dotenvx key string holds, or undefined when it is not one (64 hex digits, a valid secp256k1 scalar). */
export function dotenvxKeyOf(hex: string): DotenvxKey | undefined {
  if (!PRIVATE_KEY.test(hex)) return undefined;
  const bytes = Buffer.from(hex, "hex");
  try {
    new PrivateKey(bytes);
  } catch {
    bytes.fill(0);
    return undefined;
  }
  return { bytes, wipe: () => bytes.fill(0) };
}

/** What opening one `encrypted:` value gave: its plaintext, or why not. */
export type DotenvxOpened = { value: string } | { problem: "malformed" | "wrong_key" };

/**
 * Opens a value dotenvx wrote (the base64 after `encrypted:`) with the first of `keys` that decrypts it. "malformed" when it is
 * not a payload dotenvx writes (not base64, too short, no valid ephemeral key); "wrong_key"
 * when it is, and none of the keys authenticates it.
 */
export function openDotenvxValue(keys: readonly DotenvxKey[], body: string): DotenvxOpened {
  if (!BASE64.test(body)) return { problem: "malformed" };
  const payload = Buffer.from(body, "base64");
  if (payload.length < MIN_PAYLOAD_BYTES) return { problem: "malformed" };
  try {
    new PublicKey(payload.subarray(0, EPHEMERAL_KEY_BYTES));
  } catch {
    return { problem: "malformed" };
  }
  for (const key of keys) {
    let plain: Uint8Array;
    try {
      plain = decrypt(key.bytes, payload);
    } catch {
      continue;
    }
    const value = Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength).toString("utf8");
    plain.fill(0);
    return { value };
  }
  return { problem: "wrong_key" };
}
