import { chosenEnv, openVault, unlock, type EnvKeys, type OpenVault } from "../vault.js";
import { sessionOf, type CommonOptions } from "./context.js";

export interface Unlocked {
  v: OpenVault;
  envName: string;
  keys: EnvKeys;
  source: string;
}

/** Opens the vault, picks the environment and finds its key: the start of most commands. */
export async function openUnlocked(opts: CommonOptions): Promise<Unlocked> {
  const s = sessionOf(opts);
  const v = await openVault(s);
  const envName = chosenEnv(s, v.doc);
  const found = await unlock(s, v, envName);
  return { v, envName, keys: found.keys, source: found.source };
}
