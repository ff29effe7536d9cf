import { isVaultError } from "../errors.js";
import { parseVault } from "../format/index.js";
import { tryOpenEnvironment } from "./open.js";
import { readRawSecrets } from "./secrets.js";
import type { OpenVault, Session } from "./session.js";

/**
 * Why a vault file's content (a staged version of `file`) would fail to open, or
 * undefined if it is sound for every key here. Checked like any open (MAC, generation,
 * lineage) but nothing is remembered and no passphrase is hashed.
 */
export async function integrityProblem(s: Session, file: string, text: string, label: string): Promise<string | undefined> {
  let v: OpenVault;
  try {
    v = { file, doc: parseVault(text, label) };
  } catch (err) {
    if (isVaultError(err)) return err.message;
    throw err;
  }
  for (const envName of Object.keys(v.doc.environments)) {
    const attempt = await tryOpenEnvironment({ ...s, askPassphrase: undefined }, v, envName, { kdf: false, remember: false });
    if ("missing" in attempt) continue;
    if ("failed" in attempt) return attempt.failed.message;
    try {
      readRawSecrets(v.doc, envName, attempt.opened.keys);
    } catch (err) {
      if (isVaultError(err)) return err.message;
      throw err;
    }
  }
  return undefined;
}
