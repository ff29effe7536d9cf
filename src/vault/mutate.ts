import { environmentMac, macInput, replacedInput, sameId, verifyEnvironmentMac, type EnvKeys } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { replaceStrings, serializeVault, type Environment, type VaultDoc } from "../format/index.js";
import { readVaultBytes, removeLeftoverTemps, withLock, writeAtomic } from "../store/index.js";
import { placeOf } from "./open.js";
import { docOf, environmentOf, type OpenVault } from "./session.js";
import { noteVerified, verifiedInput, wasVerified } from "./verified.js";

/** What a change may say about itself, so that the write does less. */
export interface EditNotes {
  /** Nothing changed: the file stays as it is (a `vault set` of the value already there). */
  unchanged(): void;
  /** The change did nothing but replace each `before` string of the document with its `after`. */
  onlyReplaced(replacements: [before: string, after: string][]): void;
}

/**
 * Every write goes through here: take the lock, re-read the file (another process may
 * have written since we opened it), apply the change, write atomically. The result
 * replaces `v.doc` so the caller sees what is on disk. When the file still holds the bytes
 * `v.doc` was parsed from, that document is changed in place rather than parsed again
 * (10,000 secrets take longer to parse than to change one), and a change that only
 * replaced strings is written as those strings replaced in the bytes, when that is
 * provably the same (see replaceStrings). A vault read as an older version
 * (--allow-rollback) is never written: that would re-open it to whoever holds the old key.
 */
export async function mutateVault<T>(v: OpenVault, change: (doc: VaultDoc, notes: EditNotes) => T): Promise<T> {
  if (v.readOnly) {
    throw new VaultError("rolled_back", `not writing: ${v.readOnly}`, "check out the newest commit of the vault, then run the command again without --allow-rollback");
  }
  return withLock(v.file, () => {
    removeLeftoverTemps(v.file);
    const bytes = readVaultBytes(v.file);
    const doc = v.bytes?.equals(bytes) ? v.doc : docOf(v.file, bytes.toString("utf8"));
    // Changed in memory from here on: until written, the document is not the file's bytes.
    v.bytes = undefined;
    v.doc = doc;
    let write = true;
    let replaced: [string, string][] | undefined;
    const result = change(doc, {
      unchanged: () => {
        write = false;
      },
      onlyReplaced: (replacements) => {
        replaced = replacements;
      },
    });
    if (!write) {
      v.bytes = bytes;
      return result;
    }
    const written = (replaced && replaceStrings(bytes, replaced)) ?? Buffer.from(serializeVault(doc), "utf8");
    writeAtomic(v.file, written);
    v.bytes = written;
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
  if (!wasVerified(env, keys)) noteVerified(env, keys, verifyEnvironmentMac(keys, placeOf(doc, envName), env));
  return env;
}

/**
 * A new MAC over the environment as changed. `replacedValues`, when given, says the change
 * since its MAC was last checked or computed was only those sealed values put in place of
 * others: the input is then made from the one checked (see replacedInput).
 */
export function resealEnvironment(doc: VaultDoc, envName: string, keys: EnvKeys, replacedValues?: [before: string, after: string][]): void {
  const env = environmentOf(doc, envName);
  const place = placeOf(doc, envName);
  const known = replacedValues && verifiedInput(env, keys);
  const input = (known && replacedInput(known, replacedValues)) || macInput(place, env);
  env.mac = environmentMac(keys, place, env, input);
  noteVerified(env, keys, input);
}
