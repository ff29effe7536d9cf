import { openValue } from "../crypto/index.js";
import { verifiedEnvironment } from "./mutate.js";
import { readRawSecrets } from "./secrets.js";
import { isVaultError } from "../errors.js";
import { parseVault, type VaultDoc } from "../format/index.js";
import { keysIfAvailable, type Session } from "./session.js";

export interface KnownSecrets {
  secrets: { env: string; name: string; value: string }[];
  /** Environments whose values could not be checked: no key on this machine. */
  locked: string[];
}

/** Every value this machine can decrypt, across environments, for the leak scan. */
export async function decryptableSecrets(s: Session, doc: VaultDoc): Promise<KnownSecrets> {
  const out: KnownSecrets = { secrets: [], locked: [] };
  for (const [envName, env] of Object.entries(doc.environments)) {
    const keys = await keysIfAvailable(s, doc, envName, env);
    if (!keys) {
      out.locked.push(envName);
      continue;
    }
    for (const [name, sealed] of Object.entries(env.secrets)) {
      try {
        out.secrets.push({ env: envName, name, value: openValue(keys, { vaultId: doc.id, env: envName, name }, sealed).value });
      } catch {
        // The integrity check reports it.
      }
    }
  }
  return out;
}

/** Why a vault file's content would fail to open, or undefined if it is sound for every key here. */
export async function integrityProblem(s: Session, text: string, label: string): Promise<string | undefined> {
  let doc: VaultDoc;
  try {
    doc = parseVault(text, label);
  } catch (err) {
    if (isVaultError(err)) return err.message;
    throw err;
  }
  for (const [envName, env] of Object.entries(doc.environments)) {
    const keys = await keysIfAvailable(s, doc, envName, env);
    if (!keys) continue;
    try {
      verifiedEnvironment(doc, envName, keys);
      readRawSecrets(doc, envName, keys);
    } catch (err) {
      if (isVaultError(err)) return err.message;
      throw err;
    }
  }
  return undefined;
}
