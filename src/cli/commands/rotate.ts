import { passphraseFromEnviron, rotateEnvironment, type RotateOptions } from "../../vault.js";
import { interactive, type CommonOptions } from "../context.js";
import { note, print } from "../output.js";
import { progress } from "../progress.js";
import { askHidden } from "../prompts.js";
import { audited } from "../audit.js";
import { openUnlocked } from "../unlock.js";

export interface RotateCommandOptions extends CommonOptions {
  printKey?: boolean;
}

export async function rotateCommand(opts: RotateCommandOptions): Promise<void> {
  const u = await openUnlocked(opts);
  const options: RotateOptions = { printKey: Boolean(opts.printKey), onProgress: progress(`re-encrypting ${u.envName}`) };
  const env = u.v.doc.environments[u.envName];
  if (env && env.slots.length > 0) {
    const given = passphraseFromEnviron(process.env);
    const passphrase = given?.passphrase ?? (interactive(opts) ? await askHidden(`Passphrase for ${u.envName} (to re-wrap its slot):`) : undefined);
    if (passphrase !== undefined) options.passphrase = passphrase;
  }
  const r = await rotateEnvironment(u.v, u.envName, u.keys, options);
  await audited("rotate", u.v, u.envName, Object.keys(u.v.doc.environments[u.envName]?.secrets ?? {}));
  note(`rotated ${u.envName}: new data key, every value re-encrypted`);
  if (r.slotsDropped) note(`${r.slotsDropped} passphrase slot(s) the passphrase did not open were removed`);
  note(r.keychain === "updated" ? "the OS keychain holds the new key" : "no keychain on this machine: the new key was not stored there");
  note("old key strings (VAULT_KEY in CI) now fail: update them with `vault key export`");
  if (opts.printKey) print(r.keyString);
}
