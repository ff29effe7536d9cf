import { openValue } from "../crypto/index.js";
import { isVaultError } from "../errors.js";
import { tryOpenEnvironment } from "./open.js";
import type { OpenVault, Session } from "./session.js";

export interface KnownSecrets {
  secrets: { env: string; name: string; value: string }[];
  /** Environments whose values are all here (each opened and verified). */
  checked: string[];
  /** Environments whose values could not be checked, and why (no key here, or it fails verification). */
  unchecked: { env: string; why: string }[];
}

/**
 * Every value this machine can decrypt from environments that verify, across
 * environments, for the leak scan. Never runs a passphrase KDF and never prompts.
 */
export async function decryptableSecrets(s: Session, v: OpenVault): Promise<KnownSecrets> {
  const out: KnownSecrets = { secrets: [], checked: [], unchecked: [] };
  for (const envName of Object.keys(v.doc.environments)) {
    const attempt = await tryOpenEnvironment({ ...s, askPassphrase: undefined }, v, envName, { kdf: false });
    if (!("opened" in attempt)) {
      out.unchecked.push({ env: envName, why: "missing" in attempt ? "no key for it here" : `it fails verification: ${attempt.failed.message}` });
      continue;
    }
    const { keys } = attempt.opened;
    const values: KnownSecrets["secrets"] = [];
    try {
      for (const [name, sealed] of Object.entries(v.doc.environments[envName]!.secrets)) {
        values.push({ env: envName, name, value: openValue(keys, { vaultId: v.doc.id, env: envName, name }, sealed).value });
      }
    } catch (err) {
      // The MAC covered every ciphertext, so this is not expected; if it happens, say the
      // environment was not searched rather than search part of it as if it were all.
      if (!isVaultError(err)) throw err;
      out.unchecked.push({ env: envName, why: `a value fails to open: ${err.message}` });
      continue;
    }
    out.secrets.push(...values);
    out.checked.push(envName);
  }
  return out;
}
