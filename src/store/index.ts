export { findVault, newVaultPath, VAULT_FILENAME } from "./find.js";
export { withLock } from "./lock.js";
export { readVaultText, writeAtomic, refuseSymlink, removeLeftoverTemps } from "./file.js";
export { configDir } from "./config-dir.js";
export { readPrivateFile, writePrivateFile } from "./private-file.js";
export { knownKey, rememberKnownKey, type KnownKey } from "./known-keys.js";
export { withLogLock, appendLine, lastLine, lineEndingAt, readLines, writeLogHead, type LogLine } from "./append-log.js";
