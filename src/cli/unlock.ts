import { chosenEnv, defaultChosen, keychainStatus, openEnvironment, openVault, rememberKey, type EnvironmentKeys, type OpenVault } from "../vault.js";
import { interactive, sessionOf, type CommonOptions } from "./context.js";
import { note } from "./output.js";
import { askConfirm } from "./prompts.js";

export interface Unlocked {
  v: OpenVault;
  envName: string;
  keys: EnvironmentKeys;
  source: string;
}

/** Opens the vault, picks the environment and opens it through the domain's one door: the start of most commands. */
export async function openUnlocked(opts: CommonOptions): Promise<Unlocked> {
  const s = sessionOf(opts);
  const v = await openVault(s);
  const envName = chosenEnv(s, v.doc);
  const opened = await openEnvironment(s, v, envName, { asDefault: defaultChosen(s) });
  if (opened.prompted && interactive(opts)) await offerToRemember(v, envName, opened.keys);
  return { v, envName, keys: opened.keys, source: opened.source };
}

/** After a typed passphrase (the brief's key source 4): keep the key in the keychain, if the user wants. */
async function offerToRemember(v: OpenVault, envName: string, keys: EnvironmentKeys): Promise<void> {
  if (!(await keychainStatus()).reachable) return;
  if (!(await askConfirm(`Remember the ${envName} key in this machine's keychain, so the passphrase is not asked again?`, false))) return;
  await rememberKey(v.doc.id, envName, keys);
  note(`the ${envName} key is now in the OS keychain (\`vault key forget\` removes it)`);
}
