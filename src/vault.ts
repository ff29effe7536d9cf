/** The domain API: what the CLI (and the library entry) may ask of a vault. Never prints or prompts. */
export { openVault, chosenEnv, environmentOf, unlock, type Session, type OpenVault } from "./vault/session.js";
export { listNames, readSecret, readAllSecrets, setSecrets, removeSecrets, checkValue } from "./vault/secrets.js";
export { createVault, addEnvironment, removeEnvironment, setDefaultEnvironment } from "./vault/environments.js";
export { rememberKey, type KeyHome } from "./vault/key-home.js";
export { rotateEnvironment, type Rotation, type RotateOptions } from "./vault/rotate.js";
export { exportKey, importKey, forgetImportedKey } from "./vault/key-strings.js";
export { passphraseFromEnviron } from "./keys/index.js";
export { checkNewPassphrase, type EnvKeys } from "./crypto/index.js";
export { VaultError, IntegrityError, isVaultError } from "./errors.js";
export { checkSecretName, checkEnvName, isSecretName, keyVariableFor } from "./format/index.js";
export { keysIfAvailable, readDoc } from "./vault/session.js";
export { mergeVaults, type MergeConflict, type MergeOutcome } from "./vault/merge.js";
export { vaultDiffText } from "./vault/diff-text.js";
export { mutateVault, verifiedEnvironment, resealEnvironment } from "./vault/mutate.js";
export { parseVault, serializeVault } from "./format/index.js";
export { decryptableSecrets, integrityProblem, type KnownSecrets } from "./vault/secrets-for-scan.js";
