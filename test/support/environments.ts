import { environmentMac, signerOf, type EnvKeys } from "../../src/crypto/index.js";
import { nameRecord, type Environment, type VaultDoc } from "../../src/format/index.js";

/** An environment as a key holder writes it: generation 0, its signer, a MAC for its place. */
export function keyedEnvironment(keys: EnvKeys, place: { vaultId: string; envName: string; isDefault: boolean }, fields: Partial<Omit<Environment, "mac">> = {}): Environment {
  const secrets = nameRecord<string>();
  Object.assign(secrets, fields.secrets ?? {});
  const env: Environment = { generation: 0, keyId: keys.keyId, signer: signerOf(keys), retiredKeyIds: [], keyLinks: [], slots: [], ...fields, secrets, mac: "" };
  env.mac = environmentMac(keys, place, env);
  return env;
}

/** Recomputes the MAC of one environment of a document, as a key holder would after a change. */
export function reseal(doc: VaultDoc, envName: string, keys: EnvKeys): void {
  const env = doc.environments[envName]!;
  env.mac = environmentMac(keys, { vaultId: doc.id, envName, isDefault: doc.defaultEnv === envName }, env);
}
