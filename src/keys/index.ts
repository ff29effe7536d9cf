export { resolveKey } from "./resolve.js";
export { keychainAccount, keychainGet, keychainSet, keychainDelete, keychainStatus, KeychainUnavailable } from "./keychain.js";
export { passphraseFromEnviron } from "./passphrase-source.js";
export { requireCurrent, fitOf } from "./fit.js";
export type { KeyContext, FoundKey, Attempt, KeySource } from "./types.js";
export { findIdentities, storeIdentity, ownIdentity, noIdentityError, identityFile, type FoundIdentity } from "./identities.js";
