import { IntegrityError } from "../errors.js";
import type { KeyLink } from "../format/index.js";
import { fromB64, na, toB64 } from "./sodium.js";
import type { EnvKeys } from "./subkeys.js";

const CONTEXT = "sealenv_";
const LINK_KEY = 5;
const TAG = "sealenv-link-v1";

/** A key derived from the data key that a client may keep to verify later rotations. */
export function linkKeyOf(keys: EnvKeys): Uint8Array {
  return na().crypto_kdf_derive_from_key(32, LINK_KEY, CONTEXT, keys.dataKey);
}

/** The record a rotation leaves: the new link key, sealed under the old one. */
export function makeKeyLink(vaultId: string, env: string, oldKeys: EnvKeys, newKeys: EnvKeys): KeyLink {
  const s = na();
  const nonce = s.randombytes_buf(s.crypto_secretbox_NONCEBYTES);
  const plain = JSON.stringify([TAG, vaultId, env, oldKeys.keyId, newKeys.keyId, toB64(linkKeyOf(newKeys))]);
  return { from: oldKeys.keyId, to: newKeys.keyId, nonce: toB64(nonce), box: toB64(s.crypto_secretbox_easy(plain, nonce, linkKeyOf(oldKeys))) };
}

/**
 * Follows rotation records from a key id this client trusted to the current one. Each
 * step must open under the link key of the step before; the final link key must be the
 * current key's. Anything else means the environment was replaced by someone who did
 * not hold its key.
 */
export function verifyKeyChain(vaultId: string, env: string, trustedKeyId: string, trustedLinkKey: Uint8Array, links: KeyLink[], current: EnvKeys): void {
  const s = na();
  let keyId = trustedKeyId;
  let linkKey = trustedLinkKey;
  for (let hops = 0; keyId !== current.keyId && hops <= links.length; hops++) {
    let next: Uint8Array | undefined;
    for (const link of links.filter((l) => l.from === keyId)) {
      const nonce = fromB64(link.nonce);
      const box = fromB64(link.box);
      if (!nonce || !box || nonce.length !== s.crypto_secretbox_NONCEBYTES) continue;
      let plain: Uint8Array;
      try {
        plain = s.crypto_secretbox_open_easy(box, nonce, linkKey);
      } catch {
        continue;
      }
      const parsed = JSON.parse(Buffer.from(plain).toString("utf8")) as unknown[];
      if (parsed[0] === TAG && parsed[1] === vaultId && parsed[2] === env && parsed[3] === keyId && parsed[4] === link.to) {
        next = fromB64(String(parsed[5]));
        keyId = link.to;
        break;
      }
    }
    if (!next) break;
    linkKey = next;
  }
  if (keyId !== current.keyId || !s.memcmp(linkKey, linkKeyOf(current))) {
    throw new IntegrityError(
      "replaced",
      `${env} now uses a key this machine cannot link to the one it used before: the environment may have been replaced by someone without its key`,
      `check \`git log -p\` on the vault with your team; if the change is genuine, accept it with \`vault trust --env ${env}\``,
    );
  }
}
