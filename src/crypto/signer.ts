import { sodium, toB64 } from "./sodium.js";
import type { EnvKeys } from "./subkeys.js";

const CONTEXT = "sealenv_";
const SIGNING_SEED = 6;

/**
 * The Ed25519 key pair derived from an environment's data key. Its public half is written
 * in the file (`signer`), so anyone can check a key link that the private half signed,
 * without holding any key: a fresh clone can tell a rotation from a replacement in the
 * history it has. Callers wipe the private half after signing.
 */
export function signingPairOf(keys: EnvKeys): { publicKey: Uint8Array; privateKey: Uint8Array } {
  const lib = sodium();
  const seed = lib.crypto_kdf_derive_from_key(32, SIGNING_SEED, CONTEXT, keys.dataKey);
  try {
    return lib.crypto_sign_seed_keypair(seed);
  } finally {
    lib.memzero(seed);
  }
}

export function signerOf(keys: EnvKeys): string {
  const pair = signingPairOf(keys);
  sodium().memzero(pair.privateKey);
  return toB64(pair.publicKey);
}
