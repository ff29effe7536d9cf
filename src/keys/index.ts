export { resolveKey } from "./resolve.js";
export { keychainAccount, keychainGet, keychainSet, keychainDelete, keychainStatus } from "./keychain.js";
export { passphraseFromEnviron } from "./passphrase-source.js";
export { fitOf } from "./fit.js";
export { sealMemberBox, missingForPlugin } from "./age-cli.js";
export type { KeyContext, FoundKey, Attempt, KeySource } from "./types.js";
export { storeIdentity, ownIdentity, noIdentityError } from "./identities.js";
