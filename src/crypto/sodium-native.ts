import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { KeyPair, Sodium } from "./sodium-api.js";

/**
 * The binding inside sodium-native's prebuild: libsodium's C calls, writing into the
 * buffers they are given. Loaded directly rather than through sodium-native's index.js,
 * whose loader (require-addon and its dependencies, `assert`) costs 20-30 ms on every
 * start of `vault run`, against 1 ms for the binding itself. The binding checks less
 * than index.js does, so every call below checks its sizes first, as index.js would;
 * package.json pins sodium-native's exact version, and test/unit/sodium-builds.test.ts
 * holds every call to the WebAssembly build's bytes.
 */
interface Binding {
  crypto_secretbox_easy(c: Uint8Array, m: Uint8Array, n: Uint8Array, k: Uint8Array): number;
  crypto_secretbox_open_easy(m: Uint8Array, c: Uint8Array, n: Uint8Array, k: Uint8Array): boolean;
  crypto_generichash(...spans: (ArrayBufferLike | number)[]): number;
  crypto_kdf_derive_from_key(out: Uint8Array, id: number, ctx: Uint8Array, key: Uint8Array): number;
  crypto_kdf_keygen(key: Uint8Array): void;
  crypto_pwhash(out: Uint8Array, password: Uint8Array, salt: Uint8Array, ops: number, mem: number, alg: number): number;
  crypto_pwhash_ALG_ARGON2ID13: number;
  crypto_box_keypair(pk: Uint8Array, sk: Uint8Array): number;
  crypto_box_seal(c: Uint8Array, m: Uint8Array, pk: Uint8Array): number;
  crypto_box_seal_open(...spans: (ArrayBufferLike | number)[]): boolean;
  crypto_scalarmult_base(q: Uint8Array, n: Uint8Array): number;
  crypto_sign_ed25519_pk_to_curve25519(x: Uint8Array, ed: Uint8Array): number;
  crypto_sign_ed25519_sk_to_curve25519(x: Uint8Array, ed: Uint8Array): number;
  crypto_sign_seed_keypair(pk: Uint8Array, sk: Uint8Array, seed: Uint8Array): number;
  crypto_sign_detached(sig: Uint8Array, m: Uint8Array, sk: Uint8Array): number;
  crypto_sign_verify_detached(...spans: (ArrayBufferLike | number)[]): boolean;
  crypto_hash_sha256(out: Uint8Array, input: Uint8Array): number;
  randombytes_buf(buffer: ArrayBufferLike, offset: number, length: number): void;
  sodium_memcmp(a: Uint8Array, b: Uint8Array): boolean;
  sodium_memzero(b: Uint8Array): void;
  sodium_is_zero(b: Uint8Array, length: number): boolean;
}

const CALLS = [
  "crypto_secretbox_easy",
  "crypto_secretbox_open_easy",
  "crypto_generichash",
  "crypto_kdf_derive_from_key",
  "crypto_kdf_keygen",
  "crypto_pwhash",
  "crypto_box_keypair",
  "crypto_box_seal",
  "crypto_box_seal_open",
  "crypto_scalarmult_base",
  "crypto_sign_ed25519_pk_to_curve25519",
  "crypto_sign_ed25519_sk_to_curve25519",
  "crypto_sign_seed_keypair",
  "crypto_sign_detached",
  "crypto_sign_verify_detached",
  "crypto_hash_sha256",
  "randombytes_buf",
  "sodium_memcmp",
  "sodium_memzero",
  "sodium_is_zero",
] as const;

const MAC_BYTES = 16;
const SEAL_BYTES = 48;
const NONCE_BYTES = 24;
const KEY_BYTES = 32;
const SIGN_SECRET_BYTES = 64;
const SIGNATURE_BYTES = 64;
const NO_KEY = new Uint8Array(0);

/**
 * Where a dependency is installed, found as Node finds a plain name: node_modules in each
 * folder up from here. Not through createRequire, whose module loader costs every `vault
 * run` a few ms to load; where this finds nothing (Yarn's Plug'n'Play), WebAssembly serves.
 */
function packageDir(name: string): string | undefined {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (existsSync(path.join(candidate, "package.json"))) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The prebuild for this platform, or undefined: none for it (musl included, as sodium-native has none), or it does not load. */
function loadBinding(): Binding | undefined {
  // sodium-native's own loader looks for a -musl build on Alpine, and it ships none.
  if (process.platform === "linux" && existsSync("/etc/alpine-release")) return undefined;
  try {
    const dir = packageDir("sodium-native");
    if (!dir) return undefined;
    const addon = { exports: {} as Record<string, unknown> };
    process.dlopen(addon, path.join(dir, "prebuilds", `${process.platform}-${process.arch}`, "sodium-native.node"));
    const binding = addon.exports;
    return CALLS.every((call) => typeof binding[call] === "function") && typeof binding.crypto_pwhash_ALG_ARGON2ID13 === "number" ? (binding as unknown as Binding) : undefined;
  } catch {
    return undefined;
  }
}

function need(ok: boolean, what: string): void {
  if (!ok) throw new Error(`libsodium: ${what}`);
}

function status(code: number, call: string): void {
  if (code !== 0) throw new Error(`libsodium: ${call} failed`);
}

const sized = (size: number, fill: (out: Uint8Array) => void): Uint8Array => {
  const out = new Uint8Array(size);
  fill(out);
  return out;
};

/** libsodium's own build from sodium-native's prebuild, or undefined where it does not load: the caller falls back to WebAssembly. */
export function nativeSodium(): Sodium | undefined {
  const b = loadBinding();
  if (!b) return undefined;
  const pair = (publicBytes: number, secretBytes: number, fill: (pk: Uint8Array, sk: Uint8Array) => number, call: string): KeyPair => {
    const publicKey = new Uint8Array(publicBytes);
    const privateKey = new Uint8Array(secretBytes);
    status(fill(publicKey, privateKey), call);
    return { publicKey, privateKey };
  };
  return {
    build: "native",
    crypto_secretbox_easy(m, nonce, key) {
      need(nonce.length === NONCE_BYTES && key.length === KEY_BYTES, "secretbox nonce or key of the wrong size");
      return sized(m.length + MAC_BYTES, (c) => status(b.crypto_secretbox_easy(c, m, nonce, key), "crypto_secretbox_easy"));
    },
    crypto_secretbox_open_easy(c, nonce, key) {
      need(nonce.length === NONCE_BYTES && key.length === KEY_BYTES, "secretbox nonce or key of the wrong size");
      need(c.length >= MAC_BYTES, "ciphertext too short");
      const m = new Uint8Array(c.length - MAC_BYTES);
      need(b.crypto_secretbox_open_easy(m, c, nonce, key), "wrong secret key for the given ciphertext");
      return m;
    },
    crypto_generichash(bytes, message, key) {
      const k = key ?? NO_KEY;
      need(bytes >= 16 && bytes <= 64 && (k.length === 0 || (k.length >= 16 && k.length <= 64)), "generichash size out of range");
      return sized(bytes, (out) =>
        status(b.crypto_generichash(out.buffer, out.byteOffset, out.byteLength, message.buffer, message.byteOffset, message.byteLength, k.buffer, k.byteOffset, k.byteLength), "crypto_generichash"),
      );
    },
    crypto_kdf_derive_from_key(bytes, id, context, key) {
      const ctx = Buffer.from(context, "utf8");
      need(bytes >= 16 && bytes <= 64 && ctx.length === 8 && key.length === KEY_BYTES && Number.isSafeInteger(id) && id >= 0, "kdf arguments out of range");
      return sized(bytes, (out) => status(b.crypto_kdf_derive_from_key(out, id, ctx, key), "crypto_kdf_derive_from_key"));
    },
    crypto_kdf_keygen: () => sized(KEY_BYTES, (key) => b.crypto_kdf_keygen(key)),
    crypto_pwhash_argon2id(bytes, password, salt, ops, mem) {
      need(bytes >= 16 && salt.length === 16 && Number.isSafeInteger(ops) && ops >= 1 && Number.isSafeInteger(mem) && mem >= 8192, "pwhash arguments out of range");
      return sized(bytes, (out) => status(b.crypto_pwhash(out, password, salt, ops, mem, b.crypto_pwhash_ALG_ARGON2ID13), "crypto_pwhash"));
    },
    crypto_box_keypair: () => pair(32, 32, (pk, sk) => b.crypto_box_keypair(pk, sk), "crypto_box_keypair"),
    crypto_box_seal(m, pk) {
      need(pk.length === 32, "public key of the wrong size");
      return sized(m.length + SEAL_BYTES, (c) => status(b.crypto_box_seal(c, m, pk), "crypto_box_seal"));
    },
    crypto_box_seal_open(c, pk, sk) {
      need(pk.length === 32 && sk.length === 32 && c.length >= SEAL_BYTES, "sealed box, public or secret key of the wrong size");
      const m = new Uint8Array(c.length - SEAL_BYTES);
      const opened = b.crypto_box_seal_open(m.buffer, m.byteOffset, m.byteLength, c.buffer, c.byteOffset, c.byteLength, pk.buffer, pk.byteOffset, pk.byteLength, sk.buffer, sk.byteOffset, sk.byteLength);
      need(opened, "incorrect key pair for the given ciphertext");
      return m;
    },
    crypto_scalarmult_base(n) {
      need(n.length === 32, "scalar of the wrong size");
      return sized(32, (q) => status(b.crypto_scalarmult_base(q, n), "crypto_scalarmult_base"));
    },
    crypto_sign_ed25519_pk_to_curve25519(ed) {
      need(ed.length === 32, "ed25519 public key of the wrong size");
      return sized(32, (x) => status(b.crypto_sign_ed25519_pk_to_curve25519(x, ed), "crypto_sign_ed25519_pk_to_curve25519"));
    },
    crypto_sign_ed25519_sk_to_curve25519(ed) {
      need(ed.length === SIGN_SECRET_BYTES || ed.length === 32, "ed25519 secret key of the wrong size");
      return sized(32, (x) => status(b.crypto_sign_ed25519_sk_to_curve25519(x, ed), "crypto_sign_ed25519_sk_to_curve25519"));
    },
    crypto_sign_seed_keypair(seed) {
      need(seed.length === 32, "seed of the wrong size");
      return pair(32, SIGN_SECRET_BYTES, (pk, sk) => b.crypto_sign_seed_keypair(pk, sk, seed), "crypto_sign_seed_keypair");
    },
    crypto_sign_detached(m, sk) {
      need(sk.length === SIGN_SECRET_BYTES, "signing key of the wrong size");
      return sized(SIGNATURE_BYTES, (sig) => status(b.crypto_sign_detached(sig, m, sk), "crypto_sign_detached"));
    },
    crypto_sign_verify_detached(sig, m, pk) {
      if (sig.length !== SIGNATURE_BYTES || pk.length !== 32) return false;
      return b.crypto_sign_verify_detached(sig.buffer, sig.byteOffset, sig.byteLength, m.buffer, m.byteOffset, m.byteLength, pk.buffer, pk.byteOffset, pk.byteLength);
    },
    crypto_hash_sha256: (m) => sized(32, (out) => status(b.crypto_hash_sha256(out, m), "crypto_hash_sha256")),
    randombytes_buf: (count) => sized(count, (out) => b.randombytes_buf(out.buffer, out.byteOffset, out.byteLength)),
    memcmp: (x, y) => x.length === y.length && b.sodium_memcmp(x, y),
    memzero: (x) => b.sodium_memzero(x),
    is_zero: (x) => b.sodium_is_zero(x, x.length),
  };
}
