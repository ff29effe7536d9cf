import { randomFillSync } from "node:crypto";
import type { Sodium } from "./sodium-api.js";

/** libsodium compiled to WebAssembly: the fallback where no native prebuild loads. Imported only then. */
export async function wasmSodium(): Promise<Sodium> {
  const { default: w } = await import("libsodium-wrappers-sumo");
  await w.ready;
  return {
    build: "wasm",
    crypto_secretbox_easy: (m, nonce, key) => w.crypto_secretbox_easy(m, nonce, key),
    crypto_secretbox_open_easy: (c, nonce, key) => w.crypto_secretbox_open_easy(c, nonce, key),
    crypto_generichash: (bytes, message, key) => w.crypto_generichash(bytes, message, key),
    crypto_kdf_derive_from_key: (bytes, id, context, key) => w.crypto_kdf_derive_from_key(bytes, id, context, key),
    crypto_kdf_keygen: () => w.crypto_kdf_keygen(),
    crypto_pwhash_argon2id: (bytes, password, salt, ops, mem) => w.crypto_pwhash(bytes, password, salt, ops, mem, w.crypto_pwhash_ALG_ARGON2ID13),
    crypto_box_keypair: () => w.crypto_box_keypair(),
    crypto_box_seal: (m, pk) => w.crypto_box_seal(m, pk),
    crypto_box_seal_open: (c, pk, sk) => w.crypto_box_seal_open(c, pk, sk),
    crypto_scalarmult_base: (sk) => w.crypto_scalarmult_base(sk),
    crypto_sign_ed25519_pk_to_curve25519: (ed) => w.crypto_sign_ed25519_pk_to_curve25519(ed),
    crypto_sign_ed25519_sk_to_curve25519: (ed) => w.crypto_sign_ed25519_sk_to_curve25519(ed),
    crypto_sign_seed_keypair: (seed) => w.crypto_sign_seed_keypair(seed),
    crypto_sign_detached: (m, sk) => w.crypto_sign_detached(m, sk),
    crypto_sign_verify_detached: (sig, m, pk) => sig.length === 64 && pk.length === 32 && w.crypto_sign_verify_detached(sig, m, pk),
    crypto_hash_sha256: (m) => w.crypto_hash_sha256(m),
    // Node's generator: libsodium-wrappers pays about 150 us a call from WebAssembly, and sealing 10,000 values makes 10,000.
    randombytes_buf: (count) => randomFillSync(new Uint8Array(count)),
    memcmp: (a, b) => a.length === b.length && w.memcmp(a, b),
    memzero: (b) => w.memzero(b),
    is_zero: (b) => w.is_zero(b),
  };
}
