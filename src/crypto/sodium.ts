import { VaultError } from "../errors.js";
import { nativeSodium } from "./sodium-native.js";

/**
 * The libsodium calls sealenv makes, in one shape whichever build serves them: libsodium
 * itself through sodium-native (prebuilt for the usual platforms) or, where no prebuild
 * loads, the WebAssembly build in libsodium-wrappers-sumo. Both are the same C code, so
 * they write and read the same bytes (test/unit/sodium-builds.test.ts holds them to it).
 * Every call returns fresh bytes, as libsodium-wrappers does; a box that does not open
 * throws.
 */
export interface Sodium {
  /** Which build answered, for `vault doctor`. */
  readonly build: "native" | "wasm";
  crypto_secretbox_easy(message: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  crypto_secretbox_open_easy(box: Uint8Array, nonce: Uint8Array, key: Uint8Array): Uint8Array;
  crypto_generichash(bytes: number, message: Uint8Array, key: Uint8Array | null): Uint8Array;
  crypto_kdf_derive_from_key(bytes: number, id: number, context: string, key: Uint8Array): Uint8Array;
  crypto_kdf_keygen(): Uint8Array;
  /** Argon2id v1.3, the only password hash sealenv uses. */
  crypto_pwhash_argon2id(bytes: number, password: Uint8Array, salt: Uint8Array, ops: number, mem: number): Uint8Array;
  crypto_box_keypair(): KeyPair;
  crypto_box_seal(message: Uint8Array, publicKey: Uint8Array): Uint8Array;
  crypto_box_seal_open(box: Uint8Array, publicKey: Uint8Array, secretKey: Uint8Array): Uint8Array;
  crypto_scalarmult_base(secretKey: Uint8Array): Uint8Array;
  crypto_sign_ed25519_pk_to_curve25519(publicKey: Uint8Array): Uint8Array;
  crypto_sign_ed25519_sk_to_curve25519(secretKey: Uint8Array): Uint8Array;
  crypto_sign_seed_keypair(seed: Uint8Array): KeyPair;
  crypto_sign_detached(message: Uint8Array, privateKey: Uint8Array): Uint8Array;
  crypto_sign_verify_detached(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** Constant time; false for different lengths. */
  crypto_hash_sha256(message: Uint8Array): Uint8Array;
  /** Fresh random bytes from the operating system's generator. */
  randombytes_buf(count: number): Uint8Array;
  memcmp(a: Uint8Array, b: Uint8Array): boolean;
  memzero(bytes: Uint8Array): void;
  is_zero(bytes: Uint8Array): boolean;
}

export interface KeyPair {
  publicKey: Uint8Array;
  privateKey: Uint8Array;
}

let loading: Promise<Sodium> | undefined;
let instance: Sodium | undefined;

/**
 * The native build when its prebuild loads on this machine, else WebAssembly, which is
 * only imported then: its import and compile are most of what a WebAssembly start-up
 * costs. Commands that need no key never call this, so they load neither.
 */
export function loadSodium(): Promise<Sodium> {
  loading ??= Promise.resolve(nativeSodium())
    .then((lib) => lib ?? import("./sodium-wasm.js").then((m) => m.wasmSodium()))
    .then(
      (lib) => (instance = lib),
      (err: unknown) => {
        loading = undefined;
        throw new VaultError(
          "io",
          `cannot load libsodium: no native build loads on ${process.platform}-${process.arch} and the WebAssembly build failed (${err instanceof Error ? err.message : String(err)})`,
          "reinstall sealenv (`npm install sealenv`, or `npm ci` in a clone) so that sodium-native and libsodium-wrappers-sumo are complete",
        );
      },
    );
  return loading;
}

/** Makes `lib` the build every call uses: how test/unit/sodium-builds.test.ts runs the same code on both. */
export function useSodium(lib: Sodium): void {
  instance = lib;
  loading = Promise.resolve(lib);
}

export function sodium(): Sodium {
  if (!instance) throw new Error("libsodium used before loadSodium() resolved");
  return instance;
}

/** The build already loaded, if any: for work that libsodium can do but need not wait for. */
export function loadedSodium(): Sodium | undefined {
  return instance;
}

/** Nonces, salts, ids and keys: libsodium's generator, which asks the operating system. */
export function randomBytes(count: number): Uint8Array {
  return sodium().randombytes_buf(count);
}

export const toB64 = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/**
 * Returns undefined for text that is not unpadded base64url, so callers report their own
 * error. Node's decoder is lenient, so the alphabet and length are checked first.
 */
export function fromB64(text: string): Uint8Array | undefined {
  if (!BASE64URL.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, "base64url");
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

export const DATA_KEY_BYTES = 32;
export const NONCE_BYTES = 24;
export const SIGNATURE_BYTES = 64;
export const SIGNING_KEY_BYTES = 32;
