import { createRequire } from "node:module";
import type { KeyPair, Sodium } from "./sodium.js";

/** sodium-native's calls: libsodium's C signatures, writing into the buffers they are given. */
interface Native {
  crypto_secretbox_easy(c: Uint8Array, m: Uint8Array, n: Uint8Array, k: Uint8Array): void;
  crypto_secretbox_open_easy(m: Uint8Array, c: Uint8Array, n: Uint8Array, k: Uint8Array): boolean;
  crypto_generichash(out: Uint8Array, input: Uint8Array, key?: Uint8Array): void;
  crypto_kdf_derive_from_key(out: Uint8Array, id: number, ctx: Uint8Array, key: Uint8Array): void;
  crypto_kdf_keygen(key: Uint8Array): void;
  crypto_pwhash(out: Uint8Array, password: Uint8Array, salt: Uint8Array, ops: number, mem: number, alg: number): void;
  crypto_pwhash_ALG_ARGON2ID13: number;
  crypto_box_keypair(pk: Uint8Array, sk: Uint8Array): void;
  crypto_box_seal(c: Uint8Array, m: Uint8Array, pk: Uint8Array): void;
  crypto_box_seal_open(m: Uint8Array, c: Uint8Array, pk: Uint8Array, sk: Uint8Array): boolean;
  crypto_scalarmult_base(q: Uint8Array, n: Uint8Array): void;
  crypto_sign_ed25519_pk_to_curve25519(x: Uint8Array, ed: Uint8Array): void;
  crypto_sign_ed25519_sk_to_curve25519(x: Uint8Array, ed: Uint8Array): void;
  crypto_sign_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): void;
  crypto_sign_detached(sig: Uint8Array, m: Uint8Array, sk: Uint8Array): void;
  crypto_sign_verify_detached(sig: Uint8Array, m: Uint8Array, pk: Uint8Array): boolean;
  sodium_memcmp(a: Uint8Array, b: Uint8Array): boolean;
  sodium_memzero(b: Uint8Array): void;
  sodium_is_zero(b: Uint8Array): boolean;
}

const MAC_BYTES = 16;
const SEAL_BYTES = 48;

/** Writes `size` fresh bytes with `fill`, libsodium-wrappers' calling style over sodium-native's. */
function made(size: number, fill: (out: Uint8Array) => void): Uint8Array {
  const out = new Uint8Array(size);
  fill(out);
  return out;
}

function opened(size: number, open: (out: Uint8Array) => boolean): Uint8Array {
  if (size < 0) throw new Error("ciphertext too short");
  const out = new Uint8Array(size);
  if (!open(out)) throw new Error("incorrect key pair for the given ciphertext");
  return out;
}

/**
 * libsodium's own build, or undefined where sodium-native has no prebuild for this
 * platform (or it fails to load): the caller falls back to WebAssembly.
 */
export function nativeSodium(): Sodium | undefined {
  let n: Native;
  try {
    n = createRequire(import.meta.url)("sodium-native") as Native;
  } catch {
    return undefined;
  }
  const pair = (fill: (pk: Uint8Array, sk: Uint8Array) => void, secretBytes: number): KeyPair => {
    const publicKey = new Uint8Array(32);
    const privateKey = new Uint8Array(secretBytes);
    fill(publicKey, privateKey);
    return { publicKey, privateKey };
  };
  return {
    build: "native",
    crypto_secretbox_easy: (m, nonce, key) => made(m.length + MAC_BYTES, (c) => n.crypto_secretbox_easy(c, m, nonce, key)),
    crypto_secretbox_open_easy: (c, nonce, key) => opened(c.length - MAC_BYTES, (m) => n.crypto_secretbox_open_easy(m, c, nonce, key)),
    crypto_generichash: (bytes, message, key) => made(bytes, (out) => n.crypto_generichash(out, message, key ?? undefined)),
    crypto_kdf_derive_from_key: (bytes, id, context, key) => made(bytes, (out) => n.crypto_kdf_derive_from_key(out, id, Buffer.from(context, "utf8"), key)),
    crypto_kdf_keygen: () => made(32, (key) => n.crypto_kdf_keygen(key)),
    crypto_pwhash_argon2id: (bytes, password, salt, ops, mem) => made(bytes, (out) => n.crypto_pwhash(out, password, salt, ops, mem, n.crypto_pwhash_ALG_ARGON2ID13)),
    crypto_box_keypair: () => pair((pk, sk) => n.crypto_box_keypair(pk, sk), 32),
    crypto_box_seal: (m, pk) => made(m.length + SEAL_BYTES, (c) => n.crypto_box_seal(c, m, pk)),
    crypto_box_seal_open: (c, pk, sk) => opened(c.length - SEAL_BYTES, (m) => n.crypto_box_seal_open(m, c, pk, sk)),
    crypto_scalarmult_base: (sk) => made(32, (q) => n.crypto_scalarmult_base(q, sk)),
    crypto_sign_ed25519_pk_to_curve25519: (ed) => made(32, (x) => n.crypto_sign_ed25519_pk_to_curve25519(x, ed)),
    crypto_sign_ed25519_sk_to_curve25519: (ed) => made(32, (x) => n.crypto_sign_ed25519_sk_to_curve25519(x, ed)),
    crypto_sign_seed_keypair: (seed) => pair((pk, sk) => n.crypto_sign_seed_keypair(pk, sk, seed), 64),
    crypto_sign_detached: (m, sk) => made(64, (sig) => n.crypto_sign_detached(sig, m, sk)),
    crypto_sign_verify_detached: (sig, m, pk) => n.crypto_sign_verify_detached(sig, m, pk),
    memcmp: (a, b) => a.length === b.length && n.sodium_memcmp(a, b),
    memzero: (b) => n.sodium_memzero(b),
    is_zero: (b) => n.sodium_is_zero(b),
  };
}
