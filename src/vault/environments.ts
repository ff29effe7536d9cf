import { existsSync } from "node:fs";
import path from "node:path";
import { kdfCost, loadSodium, newVaultId, openPassphraseSlot, type EnvKeys } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { checkEnvName, FORMAT_VERSION, nameRecord, passphraseVariableFor, serializeVault, type Environment, type VaultDoc } from "../format/index.js";
import { newVaultPath, writeAtomic } from "../store/index.js";
import { newEnvironment, withKeyStored, type KeyHome } from "./key-home.js";
import { mutateVault, resealEnvironment, verifiedEnvironment } from "./mutate.js";
import { environmentOf, type OpenVault, type Session } from "./session.js";
import { forgetEnvironment, rememberDefault, rememberVerified } from "./trust.js";

/** Creates a vault with one environment, its default. Never overwrites a file. */
export async function createVault(s: Session, envName: string, home: KeyHome): Promise<OpenVault> {
  checkEnvName(envName);
  const file = newVaultPath(s.cwd, s.vaultPath ?? (s.environ.VAULT_FILE || undefined));
  if (existsSync(file)) {
    throw new VaultError("exists", `${path.basename(file)} already exists in ${path.dirname(file)}`, "use it (`vault ls`), or move it away to start over");
  }
  await loadSodium();
  const id = newVaultId();
  const { env, keys } = newEnvironment({ vaultId: id, envName, isDefault: true }, home);
  const environments = nameRecord<Environment>();
  environments[envName] = env;
  const doc: VaultDoc = { version: FORMAT_VERSION, id, defaultEnv: envName, environments };
  await withKeyStored(id, envName, keys, home, async () => writeAtomic(file, serializeVault(doc), { exclusive: true }));
  // Created here on purpose: this place now holds this vault, whatever was here before.
  await rememberVerified(s.environ, file, id, envName, env);
  await rememberDefault(s.environ, file, envName);
  return { file, doc };
}

const exists = (envName: string) => new VaultError("exists", `environment ${envName} already exists`, "`vault env ls` lists them");

/** Refuses a name that is not one, or one the vault has: before any passphrase is asked for or hashed. */
export function checkNewEnvironment(doc: VaultDoc, envName: string): void {
  checkEnvName(envName);
  if (Object.hasOwn(doc.environments, envName)) throw exists(envName);
}

/**
 * Adds an environment with its own key. A passphrase that already opens another
 * environment is refused unless `samePassphrase` says sharing it is deliberate: the new
 * environment would be only as safe as the weakest place that passphrase is known.
 */
export async function addEnvironment(s: Session, v: OpenVault, envName: string, home: KeyHome, options: { samePassphrase?: boolean } = {}): Promise<void> {
  checkNewEnvironment(v.doc, envName);
  if (home.passphrase !== undefined && !options.samePassphrase) await refuseSharedPassphrase(v.doc, envName, home.passphrase);
  await loadSodium();
  const { env, keys } = newEnvironment({ vaultId: v.doc.id, envName, isDefault: false }, home);
  await withKeyStored(v.doc.id, envName, keys, home, () =>
    mutateVault(v, (doc) => {
      if (Object.hasOwn(doc.environments, envName)) throw exists(envName);
      doc.environments[envName] = env;
    }),
  );
  await rememberVerified(s.environ, v.file, v.doc.id, envName, env);
}

/**
 * The environments a passphrase already opens (one Argon2id run per passphrase slot, the
 * cheapest first): one passphrase for development and production would make the weaker
 * place's secret the stronger one's, so a new environment's is checked before it is used.
 */
async function environmentsOpenedBy(doc: VaultDoc, passphrase: string): Promise<string[]> {
  await loadSodium();
  const opened: string[] = [];
  for (const [name, env] of Object.entries(doc.environments)) {
    const slots = env.slots.flatMap((slot) => (slot.type === "passphrase" ? [slot] : [])).sort((a, b) => kdfCost(a) - kdfCost(b));
    for (const slot of slots) {
      const key = openPassphraseSlot(slot, passphrase);
      if (!key) continue;
      key.fill(0);
      opened.push(name);
      break;
    }
  }
  return opened;
}

async function refuseSharedPassphrase(doc: VaultDoc, envName: string, passphrase: string): Promise<void> {
  const shared = await environmentsOpenedBy(doc, passphrase);
  if (!shared.length) return;
  const them = shared.length === 1 ? "it" : "them";
  throw new VaultError(
    "usage",
    `that passphrase already opens ${shared.join(", ")}: ${envName} would be only as safe as ${shared.length === 1 ? "it" : "they"}, and anyone who can open ${them} could open ${envName}`,
    `choose another passphrase for ${envName} (${passphraseVariableFor(envName)}, or typed), or pass --same-passphrase to share it deliberately`,
  );
}

export async function removeEnvironment(s: Session, v: OpenVault, envName: string): Promise<void> {
  await mutateVault(v, (doc) => {
    environmentOf(doc, envName);
    if (doc.defaultEnv === envName) {
      throw new VaultError("usage", `${envName} is the default environment`, "make another one the default first: `vault env default NAME`");
    }
    delete doc.environments[envName];
  });
  await forgetEnvironment(s.environ, v.file, envName);
}

/**
 * Whether an environment is the default is under its MAC (a flipped default would make a
 * plain `vault run` inject another environment), so changing it needs both keys: the old
 * default's and the new one's, each opened through the door by the caller.
 */
export async function setDefaultEnvironment(s: Session, v: OpenVault, envName: string, keys: { previous: EnvKeys; next: EnvKeys }): Promise<void> {
  await mutateVault(v, (doc) => {
    const previous = doc.defaultEnv;
    verifiedEnvironment(doc, previous, keys.previous);
    verifiedEnvironment(doc, envName, keys.next);
    doc.defaultEnv = envName;
    resealEnvironment(doc, previous, keys.previous);
    resealEnvironment(doc, envName, keys.next);
  });
  await rememberDefault(s.environ, v.file, envName);
}
