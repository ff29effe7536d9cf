import { hasPassphraseSlot, listNames, rotateEnvironment, type RotateOptions } from "../../vault.js";
import { sessionOf } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { note, print } from "../output.js";
import { progress } from "../progress.js";
import { rewrapPassphrase } from "../passphrases.js";
import { audited } from "../audited.js";
import { openUnlocked } from "../unlock.js";

type RotateCommandOptions = OptionsOf<"rotate">;

export async function rotateCommand(opts: RotateCommandOptions): Promise<void> {
  const u = await openUnlocked(opts);
  const options: RotateOptions = { printKey: Boolean(opts.printKey), onProgress: progress(`re-encrypting ${u.envName}`) };
  if (hasPassphraseSlot(u.v.doc, u.envName)) {
    const passphrase = await rewrapPassphrase(opts, `Passphrase for ${u.envName} (to re-wrap its slot):`, u.envName);
    if (passphrase !== undefined) options.passphrase = passphrase;
  }
  const r = await rotateEnvironment(sessionOf(opts), u.v, u.envName, u.keys, options);
  await audited("rotate", u.v, u.envName, { all: listNames(u.v.doc, u.envName) });
  note(`rotated ${u.envName}: new data key, every value re-encrypted`);
  if (r.slotsDropped) note(`${r.slotsDropped} passphrase slot(s) the passphrase did not open were removed`);
  note(r.keychain === "updated" ? "the OS keychain holds the new key" : "no keychain on this machine: the new key was not stored there");
  note("old key strings (VAULT_KEY in CI) now fail: update them with `vault key export`");
  if (opts.printKey) print(r.keyString);
}
