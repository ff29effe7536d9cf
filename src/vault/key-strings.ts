import { formatKeyString, loadSodium, parseKeyString, type EnvKeys } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { forgetKey, rememberKey } from "./key-home.js";
import { openEnvironment } from "./open.js";
import { environmentOf, type OpenVault, type Session } from "./session.js";

export function exportKey(envName: string, keys: EnvKeys): string {
  return formatKeyString(envName, keys.dataKey);
}

/**
 * Stores a key string in the keychain after opening the environment with it through the
 * door (id, MAC, lineage): a wrong, stale or replacing key is refused rather than cached.
 */
export async function importKey(s: Session, v: OpenVault, text: string): Promise<string> {
  await loadSodium();
  const key = parseKeyString(text, "the key");
  if (s.envName && s.envName !== key.env) {
    throw new VaultError("other_env_key", `the key is for ${key.env}, not ${s.envName}`, `import it with --env ${key.env}`);
  }
  environmentOf(v.doc, key.env);
  const opened = await openEnvironment(s, v, key.env, { key: key.dataKey });
  await rememberKey(v.doc.id, key.env, opened.keys);
  return key.env;
}

export async function forgetImportedKey(v: OpenVault, envName: string): Promise<boolean> {
  environmentOf(v.doc, envName);
  return forgetKey(v.doc.id, envName);
}
