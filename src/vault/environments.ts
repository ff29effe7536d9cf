import path from "node:path";
import { loadSodium, newVaultId } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { checkEnvName, FORMAT_VERSION, nameRecord, serializeVault, type Environment, type VaultDoc } from "../format/index.js";
import { newVaultPath, writeAtomic } from "../store/index.js";
import { newEnvironment, withKeyStored, type KeyHome } from "./key-home.js";
import { mutateVault } from "./mutate.js";
import { environmentOf, type OpenVault, type Session } from "./session.js";
import { existsSync } from "node:fs";

/** Creates a vault with one environment, its default. Never overwrites a file. */
export async function createVault(s: Session, envName: string, home: KeyHome): Promise<OpenVault> {
  checkEnvName(envName);
  const file = newVaultPath(s.cwd, s.vaultPath ?? (s.environ.VAULT_FILE || undefined));
  if (existsSync(file)) {
    throw new VaultError("exists", `${path.basename(file)} already exists in ${path.dirname(file)}`, "use it (`vault ls`), or move it away to start over");
  }
  await loadSodium();
  const id = newVaultId();
  const { env, keys } = newEnvironment(id, envName, home);
  const environments = nameRecord<Environment>();
  environments[envName] = env;
  const doc: VaultDoc = { version: FORMAT_VERSION, id, defaultEnv: envName, environments };
  await withKeyStored(id, envName, keys, home, async () => writeAtomic(file, serializeVault(doc), { exclusive: true }));
  return { file, doc };
}

export async function addEnvironment(v: OpenVault, envName: string, home: KeyHome): Promise<void> {
  checkEnvName(envName);
  if (Object.hasOwn(v.doc.environments, envName)) throw new VaultError("exists", `environment ${envName} already exists`, "`vault env ls` lists them");
  const { env, keys } = newEnvironment(v.doc.id, envName, home);
  await withKeyStored(v.doc.id, envName, keys, home, () =>
    mutateVault(v, (doc) => {
      if (Object.hasOwn(doc.environments, envName)) throw new VaultError("exists", `environment ${envName} already exists`, "`vault env ls` lists them");
      doc.environments[envName] = env;
    }),
  );
}

export async function removeEnvironment(v: OpenVault, envName: string): Promise<void> {
  await mutateVault(v, (doc) => {
    environmentOf(doc, envName);
    if (doc.defaultEnv === envName) {
      throw new VaultError("usage", `${envName} is the default environment`, "make another one the default first: `vault env default NAME`");
    }
    delete doc.environments[envName];
  });
}

export async function setDefaultEnvironment(v: OpenVault, envName: string): Promise<void> {
  await mutateVault(v, (doc) => {
    environmentOf(doc, envName);
    doc.defaultEnv = envName;
  });
}
