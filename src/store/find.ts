import { existsSync } from "node:fs";
import path from "node:path";
import { VaultError } from "../errors.js";

export const VAULT_FILENAME = "secrets.vault";

/**
 * Where the vault is: an explicit path (--vault, VAULT_FILE) wins; otherwise the nearest
 * secrets.vault walking up from cwd, the way git finds .git.
 */
export function findVault(cwd: string, explicit?: string): string {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) {
      throw new VaultError("not_found", `no vault at ${file}`, "check --vault / VAULT_FILE, or create one with `vault init`");
    }
    return file;
  }
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const file = path.join(dir, VAULT_FILENAME);
    if (existsSync(file)) return file;
    if (path.dirname(dir) === dir) break;
  }
  throw new VaultError("not_found", `no ${VAULT_FILENAME} in ${cwd} or any parent folder`, "create one with `vault init`, or point --vault at it");
}

/** Where `vault init` creates a vault: the explicit path, or secrets.vault in cwd. */
export function newVaultPath(cwd: string, explicit?: string): string {
  return path.resolve(cwd, explicit ?? VAULT_FILENAME);
}
