import type { KeyLink } from "../format/index.js";
import { lengthPrefixed } from "./mac-input.js";
import { signingPairOf } from "./signer.js";
import { fromB64, SIGNATURE_BYTES, SIGNING_KEY_BYTES, sodium, toB64 } from "./sodium.js";
import type { EnvKeys } from "./subkeys.js";

const TAG = "sealenv-link-v2";

/** A key a machine has verified: its generation, id and the public key that signs its successor. */
export interface KeyAnchor {
  generation: number;
  keyId: string;
  signer: string;
}

const message = (vaultId: string, env: string, link: Omit<KeyLink, "sig">) =>
  lengthPrefixed([TAG, vaultId, env, link.from, link.to, String(link.generation), link.signer]);

/** What a rotation leaves: the old key vouches, by signature, for the new one. */
export function signKeyLink(vaultId: string, env: string, oldKeys: EnvKeys, next: KeyAnchor): KeyLink {
  const lib = sodium();
  const pair = signingPairOf(oldKeys);
  try {
    const unsigned = { from: oldKeys.keyId, to: next.keyId, generation: next.generation, signer: next.signer };
    return { ...unsigned, sig: toB64(lib.crypto_sign_detached(message(vaultId, env, unsigned), pair.privateKey)) };
  } finally {
    lib.memzero(pair.privateKey);
  }
}

/**
 * Whether signed links lead from a trusted key to `to`: each step signed by the key before
 * it, each to a higher generation. Needs no secret, so it can run on history. A removed
 * member holding an old key can sign a fork from that key, but not from any key after it:
 * a machine that has seen the newer key refuses the fork.
 */
export function linksLeadTo(vaultId: string, env: string, from: KeyAnchor, links: KeyLink[], to: KeyAnchor): boolean {
  const lib = sodium();
  const visited = new Set<string>();
  const walk = (at: KeyAnchor): boolean => {
    if (at.keyId === to.keyId) return at.generation === to.generation && at.signer === to.signer;
    if (visited.has(at.keyId)) return false;
    visited.add(at.keyId);
    const signer = fromB64(at.signer);
    if (!signer || signer.length !== SIGNING_KEY_BYTES) return false;
    for (const link of links) {
      if (link.from !== at.keyId || link.generation <= at.generation) continue;
      const sig = fromB64(link.sig);
      if (!sig || sig.length !== SIGNATURE_BYTES) continue;
      let valid: boolean;
      try {
        valid = lib.crypto_sign_verify_detached(sig, message(vaultId, env, link), signer);
      } catch {
        valid = false;
      }
      if (valid && walk({ generation: link.generation, keyId: link.to, signer: link.signer })) return true;
    }
    return false;
  };
  return walk(from);
}
