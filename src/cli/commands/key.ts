import { chosenEnv, environmentOf, exportKey, forgetImportedKey, importKey, openVault } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { interactive, readStdin, sessionOf, type CommonOptions } from "../context.js";
import { note, print } from "../output.js";
import { askConfirm, askHidden } from "../prompts.js";
import { audited } from "../audited.js";
import { openUnlocked } from "../unlock.js";

/** Prints the key string: the user asked for it, so it goes to stdout. */
export async function keyExportCommand(opts: CommonOptions): Promise<void> {
  const u = await openUnlocked(opts);
  await audited("key export", u.v, u.envName, { names: [] });
  print(exportKey(u.envName, u.keys));
  if (process.stdout.isTTY) note("anyone with this key can read every secret in this environment: keep it in a password manager or a CI secret");
}

/** The key comes from stdin or a hidden prompt, never from argv where `ps` would see it. */
export async function keyImportCommand(opts: CommonOptions): Promise<void> {
  const s = sessionOf(opts);
  const v = await openVault(s);
  const text = interactive(opts) ? await askHidden("Key string:") : await readStdin();
  const envName = await importKey(s, v, text);
  note(`stored the ${envName} key in the OS keychain`);
}

export async function keyForgetCommand(opts: CommonOptions): Promise<void> {
  const s = sessionOf(opts);
  const v = await openVault(s);
  const envName = chosenEnv(s, v.doc);
  if (environmentOf(v.doc, envName).slots.length === 0 && !opts.yes) {
    const warning = `${envName} has no passphrase or member slot: if the keychain holds the only copy, its secrets are lost`;
    if (!interactive(opts)) throw new VaultError("usage", warning, `export it first (\`vault key export --env ${envName}\`), then pass --yes`);
    if (!(await askConfirm(`${warning}. Forget it anyway?`))) throw new VaultError("cancelled", "cancelled");
  }
  const removed = await forgetImportedKey(v, envName);
  note(removed ? `removed the ${envName} key from the OS keychain` : `the OS keychain held no key for ${envName}`);
}
