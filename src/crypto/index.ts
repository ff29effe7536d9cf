export { loadSodium, toB64, fromB64 } from "./sodium.js";
export { newDataKey, deriveKeys, keyIdOf, sameId, wipeKeys, type EnvKeys } from "./subkeys.js";
export { sealValue, openValue, type ValuePlace, type OpenedValue, type ValueMeta } from "./value.js";
export { environmentMac, verifyEnvironmentMac, sameMacInput } from "./mac.js";
export { macInput, replacedInput, type EnvironmentPlace } from "./mac-input.js";
export * from "./passphrase.js";
export { formatKeyString, parseKeyString } from "./key-string.js";

import { randomBytes, toB64 } from "./sodium.js";

export function newVaultId(): string {
  return toB64(randomBytes(16));
}
export { valueFingerprints, sealedFingerprint, publicKeyFingerprint } from "./fingerprint.js";
export * from "./identity.js";
export { identityFromOpenSsh } from "./ssh.js";
export { signerOf } from "./signer.js";
export { signKeyLink, linksLeadTo, type KeyAnchor } from "./key-link.js";
export { formatAgeRecipient, pluginNameOf, pluginRecipientOf, isAgeEncrypted, decryptWithPassphrase, openAgeBox, parseAgeIdentities, type AgeIdentity } from "./age.js";
