import { environmentMac, sameId, verifyEnvironmentMac, type EnvKeys } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { serializeVault, type Environment, type VaultDoc } from "../format/index.js";
import { readVaultText, removeLeftoverTemps, withLock, writeAtomic } from "../store/index.js";
import { placeOf } from "./open.js";
import { docOf, environmentOf, type OpenVault } from "./session.js";
import { noteVerified, wasVerified } from "./verified.js";

/**
 * Every write goes through here: take the lock, re-read the file (another process may
 * have written since we opened it), apply the change, write atomically. The result
 * replaces `v.doc` so the caller sees what is on disk. When the file still holds the text
 * `v.doc` was parsed from, that document is changed in place rather than parsed again
 * (10,000 secrets take longer to parse than to change one). A vault read as an older
 * version (--allow-rollback) is never written: that would re-open it to whoever holds the
 * old key.
 */
export async function mutateVault<T>(v: OpenVault, change: (doc: VaultDoc) => T): Promise<T> {
  if (v.readOnly) {
    throw new VaultError("rolled_back", `not writing: ${v.readOnly}`, "check out the newest commit of the vault, then run the command again without --allow-rollback");
  }
  return withLock(v.file, () => {
    removeLeftoverTemps(v.file);
    const text = readVaultText(v.file);
    const doc = text === v.text ? v.doc : docOf(v.file, text);
    // Changed in memory from here on: until written, the document is not the file's text.
    v.text = undefined;
    v.doc = doc;
    const result = change(doc);
    const written = serializeVault(doc);
    writeAtomic(v.file, written);
    v.text = written;
    return result;
  });
}

/**
 * Under the lock: the environment must still use our key and still verify, so a write
 * never re-MACs content modified behind our back.
 */
export function verifiedEnvironment(doc: VaultDoc, envName: string, keys: EnvKeys): Environment {
  const env = environmentOf(doc, envName);
  if (!sameId(env.keyId, keys.keyId)) {
    throw new VaultError("stale_key", `${envName} was rotated by another process while this command ran`, "run the command again");
  }
  if (!wasVerified(env, keys)) verifyEnvironmentMac(keys, placeOf(doc, envName), env);
  return env;
}

export function resealEnvironment(doc: VaultDoc, envName: string, keys: EnvKeys): void {
  const env = environmentOf(doc, envName);
  env.mac = environmentMac(keys, placeOf(doc, envName), env);
  noteVerified(env, keys);
}
