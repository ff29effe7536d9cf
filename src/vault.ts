/**
 * The domain API: what the CLI (and the library entry) may ask of a vault. Never prints or
 * prompts. It exports only what src/vault/ defines, so the CLI never imports keys, crypto
 * or the file format. A few are the domain's names for a lower layer's work, kept thin on
 * purpose: closeKeys (wipe a key), givenPassphrase and checkNewPassphrase (the passphrase
 * rules), keychainStatus (whether the keychain answers), libsodiumBuild
 * (which libsodium build loads).
 */
export { openVault, chosenEnv, defaultChosen, environmentOf, hasPassphraseSlot, type Session, type OpenVault } from "./vault/session.js";
export { openEnvironment, openEnvironments, closeKeys, type EnvironmentKeys } from "./vault/open.js";
export { listNames, readSecret, readAllSecrets, readStoredSecrets, setSecrets, removeSecrets, checkSecret } from "./vault/secrets.js";
export { literalOf, unresolvedNames, type StoredSecret } from "./vault/templates.js";
export { createVault, checkNewEnvironment, addEnvironment, removeEnvironment, setDefaultEnvironment } from "./vault/environments.js";
export { rememberKey, keychainStatus, type KeyHome } from "./vault/key-home.js";
export { givenPassphrase, checkNewPassphrase } from "./vault/passphrases.js";
export { rotateEnvironment, type RotateOptions } from "./vault/rotate.js";
export { exportKey, importKey, forgetImportedKey } from "./vault/key-strings.js";
export { type MergeConflict } from "./vault/merge.js";
export { vaultDiffOf, mergeVaultTexts, describeConflict } from "./vault/git-drivers.js";
export { takeTheirs } from "./vault/resolve.js";
export { decryptableSecrets } from "./vault/decryptable.js";
export { integrityProblem } from "./vault/integrity.js";
export { addMember, listMembers, membersMatching, environmentsOfMembers, removeMember, type Member } from "./vault/members.js";
export { createIdentity, showIdentity, recipientFrom } from "./vault/identity.js";
export { applyEdit } from "./vault/edit.js";
export { dotenvxValues, dotenvxEncryptedNames, type DotenvxValues } from "./vault/dotenvx.js";
export { rotationReport } from "./vault/status.js";
export { recordAudit, acceptAudit, auditFile, type AuditRecord, type AuditTouched } from "./vault/audit-append.js";
export { readAudit, verifyAudit, type AuditCheck } from "./vault/audit-verify.js";
export { namesAsNow } from "./vault/audit-names.js";
export { environmentHealth, libsodiumBuild } from "./vault/health.js";
export { exampleOf, exampleDrift, environmentNames, type ExampleEntry } from "./vault/example.js";
