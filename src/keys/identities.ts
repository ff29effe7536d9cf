import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { formatIdentity, identityFromOpenSsh, parseIdentity, type Identity } from "../crypto/index.js";
import { isVaultError, VaultError } from "../errors.js";
import { configDir, writePrivateFile } from "../store/index.js";
import { keychainGet, keychainSet } from "./keychain.js";

/** The keychain account of the user's identity: one per user, not per vault. */
const ACCOUNT = "identity";

export interface FoundIdentity {
  identity: Identity;
  origin: string;
}

const identityFile = (environ: NodeJS.ProcessEnv) => path.join(configDir(environ), "identity");

/**
 * Every identity this user has, in order: VAULT_IDENTITY (CI), the keychain, the 0600
 * identity file (machines without a keychain), then an unencrypted ~/.ssh/id_ed25519
 * (or VAULT_SSH_KEY) for members added by their ssh-ed25519 public key. A key file that
 * other users may read or write is refused, as ssh refuses it, and so is a VAULT_IDENTITY
 * that is not an identity (the user set it for this run). A stored identity that is not
 * one (a damaged keychain entry or file) is refused too, unless `unusable` is given: then
 * it is reported there and passed over, as the key sources pass over what is not theirs.
 */
export async function findIdentities(environ: NodeJS.ProcessEnv, unusable?: (origin: string, why: string) => void): Promise<FoundIdentity[]> {
  const found: FoundIdentity[] = [];
  if (environ.VAULT_IDENTITY) found.push({ identity: parseIdentity(environ.VAULT_IDENTITY, "VAULT_IDENTITY"), origin: "VAULT_IDENTITY" });
  const stored = (text: string, label: string, origin: string) => {
    try {
      found.push({ identity: parseIdentity(text, label), origin });
    } catch (err) {
      if (!unusable || !isVaultError(err)) throw err;
      unusable(origin, err.message);
    }
  };
  try {
    const text = await keychainGet(ACCOUNT);
    if (text) stored(text, "the keychain's sealenv identity", "your identity in the OS keychain");
  } catch (err) {
    if (!isVaultError(err) || err.code !== "keychain_unavailable") throw err;
  }
  const file = identityFile(environ);
  const own = readKeyFile(file);
  if (own?.text) {
    requireOwnerOnly(file, own.mode);
    stored(own.text, file, `your identity in ${file}`);
  }
  const ssh = environ.VAULT_SSH_KEY || path.join(environ.HOME || homedir(), ".ssh", "id_ed25519");
  const sshKey = readKeyFile(ssh);
  if (sshKey) {
    let identity: Identity | undefined;
    try {
      identity = identityFromOpenSsh(sshKey.text, ssh);
    } catch (err) {
      // An encrypted or non-ed25519 ssh key is simply not one of ours.
      if (!isVaultError(err)) throw err;
    }
    // Only a key we would use is judged: another kind of key's permissions are ssh's business.
    if (identity) {
      requireOwnerOnly(ssh, sshKey.mode);
      found.push({ identity, origin: ssh });
    }
  }
  return found;
}

/** A key file's text and mode, read through one descriptor; undefined when there is none. */
function readKeyFile(file: string): { text: string; mode: number } | undefined {
  const read = readKeyBytes(file);
  return read && { mode: read.mode, text: read.bytes.toString("utf8") };
}

/** Key files hold a few lines; anything larger is not one, and reading it whole would cost memory. */
const MAX_KEY_FILE_BYTES = 1024 * 1024;

/**
 * A key file's bytes and mode, read through one descriptor; undefined when there is none.
 * Only a regular file of at most 1 MiB is read: a device (/dev/zero), a FIFO (opened
 * without blocking) or a huge file named where a key should be is refused, not read forever.
 */
export function readKeyBytes(file: string): { bytes: Buffer; mode: number } | undefined {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new VaultError("io", `cannot read ${file}`, "check its permissions");
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > MAX_KEY_FILE_BYTES) {
      throw new VaultError("io", `${file} is not a key file (${st.isFile() ? "larger than 1 MiB" : "not a regular file"})`, "point the variable at the key file itself");
    }
    return { mode: st.mode, bytes: readFileSync(fd) };
  } catch (err) {
    if (err instanceof VaultError) throw err;
    throw new VaultError("io", `cannot read ${file}`, "check that it is a file you can read");
  } finally {
    closeSync(fd);
  }
}

/**
 * A private key that others may read may have been copied already; one they may write
 * may have been swapped for theirs. Windows has no POSIX modes (ACLs decide there, and
 * Node reports 0666 for every file), so the check is for the others.
 */
export function requireOwnerOnly(file: string, mode: number): void {
  if (process.platform === "win32" || (mode & 0o077) === 0) return;
  const octal = (mode & 0o777).toString(8).padStart(4, "0");
  throw new VaultError("io", `permissions ${octal} for ${file} are too open: a private key must be yours alone`, `chmod 600 ${shellWord(file)}`);
}

const shellWord = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Stores a new identity in the keychain, or the 0600 file where there is none. Returns where. */
export async function storeIdentity(environ: NodeJS.ProcessEnv, identity: Identity): Promise<string> {
  const text = formatIdentity(identity);
  try {
    await keychainSet(ACCOUNT, text);
    return "the OS keychain";
  } catch (err) {
    if (!isVaultError(err) || err.code !== "keychain_unavailable") throw err;
  }
  const file = identityFile(environ);
  writePrivateFile(file, `${text}\n`);
  return file;
}

/** The identity `vault identity show` and `new` talk about: the first one that is sealenv's own. */
export async function ownIdentity(environ: NodeJS.ProcessEnv): Promise<FoundIdentity | undefined> {
  const all = await findIdentities(environ);
  return all.find((f) => !f.origin.includes(".ssh") && f.origin !== environ.VAULT_SSH_KEY);
}

export function noIdentityError(): VaultError {
  return new VaultError("not_found", "no sealenv identity on this machine", "create one with `vault identity new`");
}
