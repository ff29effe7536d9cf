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
