export { findVault, newVaultPath, shadowedVault } from "./find.js";
export { withLock } from "./lock.js";
export { readVaultBytes, readVaultText, writeAtomic, removeLeftoverTemps } from "./file.js";
export { configDir } from "./config-dir.js";
export { readPrivateFile, writePrivateFile } from "./private-file.js";
export { readKnownVaults, updateKnownVaults, vaultLocation, knownKeyName, type Contest, type KnownKey, type KnownVaults } from "./known-vaults.js";
export { vaultHistory, headCommit, isShallowClone, repositoryRoot, type CommittedVersion, type VaultHistory } from "./history.js";
export { withLogLock, appendLine, lastLine, lineEndingAt, readLines, writeLogHead } from "./append-log.js";
