import { lstatSync, statSync, type Stats } from "node:fs";
import { VaultError } from "../errors.js";

/**
 * git's safe.directory for a found vault: a secrets.vault that another local user could
 * have put or changed where the search finds it is not used unasked. The user can still
 * name it with --vault or VAULT_FILE, which never comes here.
 */

export interface User {
  uid: number;
  gid: number;
}

/** The owner and permission bits of a file or folder, as fs.Stats has them. */
export interface Ownership {
  uid: number;
  gid: number;
  mode: number;
}

const STICKY = 0o1000;
const GROUP_WRITE = 0o020;
const OTHER_WRITE = 0o002;

/**
 * Why someone other than `me` could write this entry, or undefined if only `me` (and root)
 * can. Pure, so the rules are tested without chown. A sticky folder (like /tmp) lets
 * others add files but not replace ours, and what they add is theirs, which the file's
 * own check refuses.
 */
export function unsafeReason(entry: Ownership, me: User, isFolder: boolean): string | undefined {
  if (entry.uid !== me.uid) return `is owned by another user (uid ${entry.uid})`;
  if (isFolder && (entry.mode & STICKY) !== 0) return undefined;
  if ((entry.mode & OTHER_WRITE) !== 0) return "is writable by every user";
  if ((entry.mode & GROUP_WRITE) !== 0 && !isPrivateGroup(entry.gid, me)) return `is writable by group ${entry.gid}`;
  return undefined;
}

/**
 * Fedora's and Debian's user private groups come with umask 002, so every project folder
 * there is group-writable; that group holds only its user, by the convention that it
 * shares the user's id. Telling it apart without reading /etc/group keeps `vault run` cheap.
 */
function isPrivateGroup(gid: number, me: User): boolean {
  return gid === me.gid && me.gid === me.uid;
}

/** Who runs sealenv; undefined on Windows, whose files have no POSIX owner or mode to judge. */
function currentUser(): User | undefined {
  if (typeof process.getuid !== "function" || typeof process.getgid !== "function") return undefined;
  return { uid: process.getuid(), gid: process.getgid() };
}

/**
 * Refuses `file` found by the upward search if it, or a folder from the one holding it
 * down to where the search began (`folders`), is open to another user. A few stat calls:
 * this runs on every `vault run`.
 */
export function refuseUnsafeVault(file: string, folders: string[]): void {
  const me = currentUser();
  if (!me) return;
  const own = statOf(file, lstatSync);
  // A symlinked vault is refused later, for every way of naming it (readVaultText).
  if (!own?.isSymbolicLink()) refuseIf(file, own, "it", me, false);
  // Folders are followed: what matters is who may change the entries of the real one.
  for (const folder of folders) refuseIf(file, statOf(folder, statSync), `its folder ${folder}`, me, true);
}

function refuseIf(file: string, entry: Stats | undefined, what: string, me: User, isFolder: boolean): void {
  const reason = entry ? unsafeReason(entry, me, isFolder) : "cannot be checked";
  if (reason === undefined) return;
  throw new VaultError(
    "unsafe_vault",
    `refusing to use ${file}: ${what} ${reason}`,
    "if you trust it, pass `--vault FILE` or set VAULT_FILE to use it deliberately; otherwise fix its owner or permissions (chmod go-w)",
  );
}

function statOf(entry: string, stat: (p: string) => Stats): Stats | undefined {
  try {
    return stat(entry);
  } catch {
    return undefined;
  }
}
