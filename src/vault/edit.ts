import { openValue, type EnvKeys } from "../crypto/index.js";
import { checkSecretName, ownEntry } from "../format/index.js";
import { mutateVault, resealEnvironment, verifiedEnvironment } from "./mutate.js";
import { checkValue, sealChange } from "./secrets.js";
import type { OpenVault } from "./session.js";

export interface EditResult {
  added: string[];
  changed: string[];
  removed: string[];
}

/**
 * Makes an environment hold exactly `next`, in one locked write. Values that did not
 * change keep their ciphertext; only what differs is sealed again or removed.
 */
export async function applyEdit(v: OpenVault, envName: string, keys: EnvKeys, next: Record<string, string>): Promise<EditResult> {
  for (const [name, value] of Object.entries(next)) {
    checkSecretName(name);
    checkValue(name, value);
  }
  return mutateVault(v, (doc) => {
    const env = verifiedEnvironment(doc, envName, keys);
    const result: EditResult = { added: [], changed: [], removed: [] };
    for (const name of Object.keys(env.secrets)) {
      if (!Object.hasOwn(next, name)) {
        delete env.secrets[name];
        result.removed.push(name);
      }
    }
    for (const [name, value] of Object.entries(next)) {
      const place = { vaultId: doc.id, env: envName, name };
      const sealedOld = ownEntry(env.secrets, name);
      const old = sealedOld === undefined ? undefined : openValue(keys, place, sealedOld);
      const sealed = sealChange(keys, place, value, old);
      if (sealed === undefined) continue;
      (old === undefined ? result.added : result.changed).push(name);
      env.secrets[name] = sealed;
    }
    resealEnvironment(doc, envName, keys);
    return result;
  });
}
