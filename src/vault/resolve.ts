import { VaultError } from "../errors.js";
import type { EnvKeys } from "../crypto/index.js";
import { ownEntry, parseVault, type VaultDoc } from "../format/index.js";
import { mutateVault, resealEnvironment, verifiedEnvironment } from "./mutate.js";
import { tryOpenEnvironment } from "./open.js";
import type { OpenVault, Session } from "./session.js";

/**
 * Settles a merge conflict with their side (`vault resolve --theirs`): one secret as their
 * sealed value, or with no name the whole environment as they have it (gone, if they
 * removed it). Their side is verified with its key first; ours is what the merge kept, so
 * `--ours` changes nothing here.
 */
export async function takeTheirs(s: Session, v: OpenVault, envName: string, keys: EnvKeys, theirText: string, name: string | undefined): Promise<void> {
  const theirDoc = parseVault(theirText, "their side");
  const theirs = ownEntry(theirDoc.environments, envName);
  const theirKeys = theirs && (await verifiedTheirs(s, v.file, theirDoc, envName));
  await mutateVault(v, (doc) => {
    if (name === undefined) {
      if (theirs && theirKeys) {
        doc.environments[envName] = theirs;
        resealEnvironment(doc, envName, theirKeys);
      } else delete doc.environments[envName];
      return;
    }
    const env = verifiedEnvironment(doc, envName, keys);
    const sealed = theirs && ownEntry(theirs.secrets, name);
    if (sealed === undefined) delete env.secrets[name];
    else env.secrets[name] = sealed;
    resealEnvironment(doc, envName, keys);
  });
}

/**
 * Their side of the environment, opened through the door where the vault lives (MAC,
 * generation, lineage): a side changed without its key, or rolled back, is refused, never
 * re-sealed under our MAC.
 */
async function verifiedTheirs(s: Session, file: string, doc: VaultDoc, envName: string): Promise<EnvKeys> {
  const attempt = await tryOpenEnvironment(s, { file, doc }, envName);
  if ("opened" in attempt) return attempt.opened.keys;
  if ("missing" in attempt) throw attempt.missing;
  throw new VaultError(
    attempt.failed.code,
    `their side of ${envName} fails verification, so it cannot be taken: ${attempt.failed.message}`,
    "keep ours (`vault resolve --ours`), or set the value by hand with `vault set`; ask who pushed their side",
  );
}
