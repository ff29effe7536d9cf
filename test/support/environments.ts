import { environmentMac, openValue, sealValue, signerOf, type EnvKeys } from "../../src/crypto/index.js";
import { nameRecord, type Environment, type VaultDoc } from "../../src/format/index.js";

/**
 * Environments and vault documents as a key holder's library writes them, for tests that
 * build their vaults in memory: values sealed for their place, a signer, a MAC over it all.
 */

/** Where an environment stands: its MAC covers the vault id, its name and whether it is the default. */
export interface Place {
  vaultId: string;
  envName: string;
  isDefault: boolean;
}

/**
 * `values` sealed under `keys` for their place in the vault. A value unchanged from
 * `before` (sealed values of the same place) keeps its ciphertext, as `vault set` does.
 */
function sealSecrets(keys: EnvKeys, place: Omit<Place, "isDefault">, values: Record<string, string>, before: Record<string, string> = {}): Record<string, string> {
  const secrets = nameRecord<string>();
  for (const [name, value] of Object.entries(values)) {
    const at = { vaultId: place.vaultId, env: place.envName, name };
    const old = Object.hasOwn(before, name) ? before[name] : undefined;
    secrets[name] = old && openValue(keys, at, old).value === value ? old : sealValue(keys, at, value);
  }
  return secrets;
}

/** An environment as a key holder writes it: generation 0, its signer, a MAC for its place. */
export function keyedEnvironment(keys: EnvKeys, place: Place, fields: Partial<Omit<Environment, "mac">> = {}): Environment {
  const secrets = nameRecord<string>();
  Object.assign(secrets, fields.secrets ?? {});
  const env: Environment = { generation: 0, keyId: keys.keyId, signer: signerOf(keys), retiredKeyIds: [], keyLinks: [], slots: [], ...fields, secrets, mac: "" };
  env.mac = environmentMac(keys, place, env);
  return env;
}

/** An environment holding `values`, sealed under `keys` for its place (see sealSecrets for `before`). */
export function sealedEnvironment(
  keys: EnvKeys,
  place: Place,
  values: Record<string, string>,
  fields: Partial<Omit<Environment, "mac" | "secrets">> = {},
  before?: Record<string, string>,
): Environment {
  return keyedEnvironment(keys, place, { ...fields, secrets: sealSecrets(keys, place, values, before) });
}

/** A vault document of these environments. */
export function vaultOf(id: string, defaultEnv: string, environments: Record<string, Environment>): VaultDoc {
  return { version: 1, id, defaultEnv, environments };
}

/** Recomputes the MAC of one environment of a document, as a key holder would after a change. */
export function reseal(doc: VaultDoc, envName: string, keys: EnvKeys): void {
  const env = doc.environments[envName]!;
  env.mac = environmentMac(keys, { vaultId: doc.id, envName, isDefault: doc.defaultEnv === envName }, env);
}
