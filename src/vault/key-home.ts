import { deriveKeys, environmentMac, formatKeyString, newDataKey, sealPassphraseSlot, signerOf, type EnvKeys, type EnvironmentPlace } from "../crypto/index.js";
import { nameRecord, type Environment } from "../format/index.js";
import { keychainAccount, keychainDelete, keychainSet, keychainStatus as probeKeychain } from "../keys/index.js";

/** Where a new environment's data key is kept: the OS keychain, a passphrase slot, or both. */
export interface KeyHome {
  keychain: boolean;
  passphrase?: string;
}

export interface NewEnvironment {
  env: Environment;
  keys: EnvKeys;
}

/** A fresh, empty environment at generation 0 with a new data key, its signer, its slots and its MAC. */
export function newEnvironment(place: EnvironmentPlace, home: KeyHome): NewEnvironment {
  const keys = deriveKeys(newDataKey());
  const env: Environment = {
    generation: 0,
    keyId: keys.keyId,
    signer: signerOf(keys),
    retiredKeyIds: [],
    keyLinks: [],
    slots: home.passphrase === undefined ? [] : [sealPassphraseSlot(keys.dataKey, home.passphrase)],
    secrets: nameRecord<string>(),
    mac: "",
  };
  env.mac = environmentMac(keys, place, env);
  return { env, keys };
}

export async function rememberKey(vaultId: string, envName: string, keys: EnvKeys): Promise<void> {
  await keychainSet(keychainAccount(vaultId, envName), formatKeyString(envName, keys.dataKey));
}

export async function forgetKey(vaultId: string, envName: string): Promise<boolean> {
  return keychainDelete(keychainAccount(vaultId, envName));
}

/**
 * Stores the key in the keychain when asked, then runs `write`; if the write fails the
 * keychain entry is removed again, so a failed command leaves nothing behind.
 */
export async function withKeyStored<T>(vaultId: string, envName: string, keys: EnvKeys, home: KeyHome, write: () => Promise<T>): Promise<T> {
  if (home.keychain) await rememberKey(vaultId, envName, keys);
  try {
    return await write();
  } catch (err) {
    if (home.keychain) await forgetKey(vaultId, envName).catch(() => false);
    throw err;
  }
}

/** Whether this machine's OS keychain answers, and which store it is: for doctor and the offer to remember a key. */
export function keychainStatus(): Promise<{ store: string; reachable: boolean; detail?: string }> {
  return probeKeychain();
}
