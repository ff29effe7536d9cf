import { fromB64, randomBytes, sodium, toB64 } from "./sodium.js";

/**
 * The audit trail's chain hashes. A record's hash is BLAKE2b keyed with the user's audit
 * key over the previous record's hash and the record's fields: whoever lacks the key
 * cannot recompute the chain after removing or editing a record. The unkeyed form is
 * what sealenv wrote before the chain was keyed; it is kept only to read old logs.
 */
const AUDIT_KEY_BYTES = 32;
const HASH_BYTES = 32;
/** Domain separation: no other BLAKE2b in sealenv hashes a message that starts like this. */
const KEYED_DOMAIN = "sealenv-audit-v2";

export function newAuditKey(): Uint8Array {
  return randomBytes(AUDIT_KEY_BYTES);
}

export const encodeAuditKey = (key: Uint8Array): string => toB64(key);

/** Undefined for text that is not a 32-byte key: the caller names the file it came from. */
export function decodeAuditKey(text: string): Uint8Array | undefined {
  const key = fromB64(text);
  return key && key.length === AUDIT_KEY_BYTES ? key : undefined;
}

/** `fields` are JSON values; their JSON array is the message, so no two field lists encode alike. */
export function auditHash(key: Uint8Array, prev: string, fields: readonly unknown[]): string {
  return toB64(sodium().crypto_generichash(HASH_BYTES, Buffer.from(JSON.stringify([KEYED_DOMAIN, prev, ...fields]), "utf8"), key));
}

/** The hash of a record written before the chain was keyed: anyone can recompute it. */
export function legacyAuditHash(prev: string, fields: readonly unknown[]): string {
  return toB64(sodium().crypto_generichash(HASH_BYTES, Buffer.from(JSON.stringify([prev, ...fields]), "utf8"), null));
}

/** Constant-time, like every tag comparison in sealenv; false for anything that is not a hash. */
export function sameAuditHash(a: unknown, b: unknown): boolean {
  if (typeof a !== "string" || typeof b !== "string") return false;
  const x = fromB64(a);
  const y = fromB64(b);
  return Boolean(x && y && x.length === HASH_BYTES && y.length === HASH_BYTES && sodium().memcmp(x, y));
}
