import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { formatIdentity, identityFromOpenSsh, parseIdentity, type Identity } from "../crypto/index.js";
import { isVaultError, VaultError } from "../errors.js";
import { configDir, readPrivateFile, writePrivateFile } from "../store/index.js";
import { keychainGet, keychainSet } from "./keychain.js";

/** The keychain account of the user's identity: one per user, not per vault. */
const ACCOUNT = "identity";

export interface FoundIdentity {
  identity: Identity;
  origin: string;
}

export const identityFile = (environ: NodeJS.ProcessEnv) => path.join(configDir(environ), "identity");

/**
 * Every identity this user has, in order: VAULT_IDENTITY (CI), the keychain, the 0600
 * identity file (machines without a keychain), then an unencrypted ~/.ssh/id_ed25519
 * (or VAULT_SSH_KEY) for members added by their ssh-ed25519 public key.
 */
export async function findIdentities(environ: NodeJS.ProcessEnv): Promise<FoundIdentity[]> {
  const found: FoundIdentity[] = [];
  if (environ.VAULT_IDENTITY) found.push({ identity: parseIdentity(environ.VAULT_IDENTITY, "VAULT_IDENTITY"), origin: "VAULT_IDENTITY" });
  try {
    const stored = await keychainGet(ACCOUNT);
    if (stored) found.push({ identity: parseIdentity(stored, "the keychain's sealenv identity"), origin: "your identity in the OS keychain" });
  } catch (err) {
    if (!isVaultError(err) || err.code !== "keychain_unavailable") throw err;
  }
  const file = identityFile(environ);
  const text = readPrivateFile(file);
  if (text) found.push({ identity: parseIdentity(text, file), origin: `your identity in ${file}` });
  const ssh = environ.VAULT_SSH_KEY || path.join(environ.HOME || homedir(), ".ssh", "id_ed25519");
  if (existsSync(ssh)) {
    try {
      found.push({ identity: identityFromOpenSsh(readFileSync(ssh, "utf8"), ssh), origin: ssh });
    } catch (err) {
      // An encrypted or non-ed25519 ssh key is simply not one of ours.
      if (!isVaultError(err)) throw err;
    }
  }
  return found;
}

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
