import { openValue, type EnvKeys } from "../crypto/index.js";
import { checkSecretName, nameRecord, ownEntry } from "../format/index.js";
import { mutateVault, resealEnvironment, verifiedEnvironment } from "./mutate.js";
import { checkSecret, sealChange } from "./secrets.js";
import type { OpenVault } from "./session.js";
import type { StoredSecret } from "./templates.js";

export interface EditResult {
  added: string[];
  changed: string[];
  removed: string[];
}

/** What the user did in the editor: the names given a new value, and the names deleted. */
interface EditDelta {
  set: Record<string, StoredSecret>;
  removed: string[];
}

/** The difference between what the editor was shown and what it saved; pure. */
function editDelta(shown: Record<string, StoredSecret>, edited: Record<string, StoredSecret>): EditDelta {
  // Without a prototype, so an edit of a secret named __proto__ is kept like any other.
  const delta: EditDelta = { set: nameRecord<StoredSecret>(), removed: [] };
  for (const [name, secret] of Object.entries(edited)) {
    const before = Object.hasOwn(shown, name) ? shown[name] : undefined;
    if (before?.value !== secret.value || before.template !== secret.template) delta.set[name] = secret;
  }
  for (const name of Object.keys(shown)) {
    if (!Object.hasOwn(edited, name)) delta.removed.push(name);
  }
  return delta;
}

/**
 * Applies an edit, in one locked write, to the environment as it is on disk then, not as
 * it was when the editor opened: only the names the user added, changed or removed are
 * touched, so a `vault set OTHER` made by another process meanwhile survives. Where the
 * user and another process both changed a name, the user's edit wins: it is what they
 * just typed, with the old value in front of them. Values not touched keep their
 * ciphertext. The result says what changed on disk (a name the other process had already
 * removed is not counted as removed; one it removed but the user changed comes back as added).
 */
export async function applyEdit(
  v: OpenVault,
  envName: string,
  keys: EnvKeys,
  shown: Record<string, StoredSecret>,
  edited: Record<string, StoredSecret>,
): Promise<EditResult> {
  const delta = editDelta(shown, edited);
  for (const [name, secret] of Object.entries(delta.set)) {
    checkSecretName(name);
    checkSecret(name, secret);
  }
  if (Object.keys(delta.set).length === 0 && delta.removed.length === 0) return { added: [], changed: [], removed: [] };
  return mutateVault(v, (doc) => {
    const env = verifiedEnvironment(doc, envName, keys);
    const result: EditResult = { added: [], changed: [], removed: [] };
    for (const name of delta.removed) {
      if (!Object.hasOwn(env.secrets, name)) continue;
      delete env.secrets[name];
      result.removed.push(name);
    }
    for (const [name, secret] of Object.entries(delta.set)) {
      const place = { vaultId: doc.id, env: envName, name };
      const sealedOld = ownEntry(env.secrets, name);
      const old = sealedOld === undefined ? undefined : openValue(keys, place, sealedOld);
      const sealed = sealChange(keys, place, secret, old);
      if (sealed === undefined) continue;
      (old === undefined ? result.added : result.changed).push(name);
      env.secrets[name] = sealed;
    }
    resealEnvironment(doc, envName, keys);
    return result;
  });
}
