export { findVault, newVaultPath, VAULT_FILENAME } from "./find.js";
export { withLock } from "./lock.js";
export { readVaultText, writeAtomic, refuseSymlink, removeLeftoverTemps } from "./file.js";
