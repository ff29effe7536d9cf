import { existsSync, lstatSync, realpathSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { VaultError } from "../errors.js";
import { refuseUnsafeVault } from "./safe-path.js";

const VAULT_FILENAME = "secrets.vault";

/**
 * Where the vault is: an explicit path (--vault, VAULT_FILE) wins, as the user's own
 * choice; otherwise the nearest secrets.vault walking up from cwd, the way git finds
 * .git. The walk ends at the repository root and at the home folder (both still searched),
 * so a file planted above a project or above HOME is never picked up, and a file found is
 * refused if another user could have put it there. `environ` gives HOME.
 */
export function findVault(cwd: string, explicit: string | undefined, environ: NodeJS.ProcessEnv): string {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) {
      throw new VaultError("not_found", `no vault at ${file}`, "check --vault / VAULT_FILE, or create one with `vault init`");
    }
    return file;
  }
  const start = path.resolve(cwd);
  const homes = homeFolders(environ);
  const searched: string[] = [];
  for (let dir = start; ; dir = path.dirname(dir)) {
    searched.push(dir);
    const file = path.join(dir, VAULT_FILENAME);
    if (present(file)) {
      refuseUnsafeVault(file, searched);
      return file;
    }
    const boundary = present(path.join(dir, ".git")) ? "the repository root" : homes.has(dir) ? "your home folder" : undefined;
    if (boundary) throw notFound(start, `or above it up to ${boundary} ${dir}`);
    if (path.dirname(dir) === dir) throw notFound(start, "or any parent folder");
  }
}

/** Where `vault init` creates a vault: the explicit path, or secrets.vault in cwd. */
export function newVaultPath(cwd: string, explicit?: string): string {
  return path.resolve(cwd, explicit ?? VAULT_FILENAME);
}

/** HOME as given, and as the file system names it (macOS temp folders sit behind /var -> /private/var). */
function homeFolders(environ: NodeJS.ProcessEnv): Set<string> {
  const home = path.resolve(environ.HOME || homedir());
  const homes = new Set([home]);
  try {
    homes.add(realpathSync.native(home));
  } catch {
    // No such folder: nothing below it to stop at either.
  }
  return homes;
}

/** Any entry, a dangling link included; a folder we may not look into holds nothing for us. */
function present(entry: string): boolean {
  try {
    return lstatSync(entry, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

function notFound(start: string, where: string): VaultError {
  return new VaultError("not_found", `no ${VAULT_FILENAME} in ${start} ${where}`, "create one with `vault init`, or point --vault at it");
}

/**
 * Another secrets.vault between a vault's folder and its repository's root (`root`,
 * inclusive), if any: the file found first by the upward search then shadows it, which a
 * planted file in a subfolder would do on purpose.
 */
export function shadowedVault(file: string, root: string): string | undefined {
  for (let dir = path.dirname(path.dirname(file)); dir.startsWith(root); dir = path.dirname(dir)) {
    const other = path.join(dir, VAULT_FILENAME);
    if (existsSync(other)) return other;
    if (dir === root || path.dirname(dir) === dir) return undefined;
  }
  return undefined;
}
