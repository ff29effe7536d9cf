export { loadSodium, toB64, fromB64, DATA_KEY_BYTES } from "./sodium.js";
export { newDataKey, deriveKeys, keyIdOf, sameId, type EnvKeys } from "./subkeys.js";
export { sealValue, openValue, type ValuePlace, type OpenedValue, type ValueMeta } from "./value.js";
export { environmentMac, verifyEnvironmentMac } from "./mac.js";
export * from "./passphrase.js";
export { formatKeyString, parseKeyString, type KeyString } from "./key-string.js";

import { na, toB64 } from "./sodium.js";

export function newVaultId(): string {
  return toB64(na().randombytes_buf(16));
}
export { valueFingerprint, sealedFingerprint } from "./fingerprint.js";
export * from "./identity.js";
export { identityFromOpenSsh } from "./ssh.js";
export { linkKeyOf, makeKeyLink, verifyKeyChain } from "./key-link.js";
