import { addEnvironment, checkNewEnvironment, environmentOf, openEnvironment, openVault, removeEnvironment, setDefaultEnvironment, type KeyHome } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { interactive, sessionOf, type CommonOptions } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { note, print } from "../output.js";
import { newPassphrase } from "../passphrases.js";
import { askConfirm } from "../prompts.js";

type EnvLsOptions = OptionsOf<"env ls">;

export async function envLsCommand(opts: EnvLsOptions): Promise<void> {
  const v = await openVault(sessionOf(opts));
  const names = Object.keys(v.doc.environments).sort();
  if (opts.json) {
    print(JSON.stringify(names.map((name) => ({ name, default: name === v.doc.defaultEnv, secrets: Object.keys(environmentOf(v.doc, name).secrets).length }))));
    return;
  }
  print(names.map((name) => (name === v.doc.defaultEnv ? `${name} (default)` : name)).join("\n"));
}

type EnvAddOptions = OptionsOf<"env add">;

export async function envAddCommand(name: string, opts: EnvAddOptions): Promise<void> {
  const s = sessionOf(opts);
  const v = await openVault(s);
  // Before any passphrase is asked for or hashed.
  checkNewEnvironment(v.doc, name);
  const home: KeyHome = { keychain: Boolean(opts.keychain) || !opts.passphrase };
  if (opts.passphrase) home.passphrase = await newPassphrase(opts, name);
  await addEnvironment(s, v, name, home, { samePassphrase: Boolean(opts.samePassphrase) });
  note(`added environment ${name}`);
  if (home.passphrase === undefined) note(`its key lives only in this machine's keychain: back it up with \`vault key export --env ${name}\``);
}

export async function envRmCommand(name: string, opts: CommonOptions): Promise<void> {
  const s = sessionOf(opts);
  const v = await openVault(s);
  const count = Object.keys(environmentOf(v.doc, name).secrets).length;
  if (count > 0 && !opts.yes) {
    if (!interactive(opts)) throw new VaultError("usage", `${name} still holds ${count} secret(s)`, "pass --yes to remove it anyway");
    if (!(await askConfirm(`Remove ${name} and its ${count} secret(s)?`))) throw new VaultError("cancelled", "cancelled");
  }
  await removeEnvironment(s, v, name);
  note(`removed environment ${name}`);
}

/** The default is under both environments' MACs, so both are opened (and so both keys are needed). */
export async function envDefaultCommand(name: string, opts: CommonOptions): Promise<void> {
  const s = sessionOf(opts);
  const v = await openVault(s);
  environmentOf(v.doc, name);
  const previous = await openEnvironment(s, v, v.doc.defaultEnv);
  const next = await openEnvironment(s, v, name);
  await setDefaultEnvironment(s, v, name, { previous: previous.keys, next: next.keys });
  note(`${name} is now the default environment`);
}
