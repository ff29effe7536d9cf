import path from "node:path";
import { createVault, givenPassphrase, type KeyHome } from "../../vault.js";
import { interactive, sessionOf } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { note } from "../output.js";
import { newPassphrase } from "../passphrases.js";
import { askChoice, askConfirm } from "../prompts.js";

type InitOptions = OptionsOf<"init">;

export async function initCommand(opts: InitOptions): Promise<void> {
  const envName = opts.env ?? "development";
  const s = sessionOf({ ...opts, env: envName });
  const home = await chooseKeyHome(opts, s.environ);
  const v = await createVault(s, envName, home);
  const where = [home.keychain ? "the OS keychain" : "", home.passphrase !== undefined ? "a passphrase slot" : ""].filter(Boolean).join(" and ");
  note(`created ${path.relative(s.cwd, v.file) || v.file} with environment ${envName} (key in ${where})`);
  if (home.passphrase === undefined) {
    note(`the key lives only in this machine's keychain: back it up with \`vault key export --env ${envName}\` into a password manager`);
  }
  await offerGitSetup(v.file, opts);
}

/** Inside a git work tree, the vault should diff and merge as sealenv's from the start. */
async function offerGitSetup(vaultFile: string, opts: InitOptions): Promise<void> {
  const { workTreeRoot } = await import("../../git/repo.js");
  if (!workTreeRoot(path.dirname(vaultFile))) return;
  if (!interactive(opts)) {
    note("this is a git repository: run `vault git setup` for readable diffs, per-secret merges and .env ignore rules");
    return;
  }
  if (await askConfirm("Set up git for the vault (diff and merge drivers, ignore .env files)?", true)) {
    const { setUpGit } = await import("../git-setup.js");
    setUpGit(vaultFile, false);
  }
}

/**
 * --keychain / --passphrase decide; on a terminal with neither we ask; otherwise a
 * passphrase given in the environment means a passphrase slot, and the keychain is used.
 */
async function chooseKeyHome(opts: InitOptions, environ: NodeJS.ProcessEnv): Promise<KeyHome> {
  let keychain = Boolean(opts.keychain);
  let wantsPassphrase = Boolean(opts.passphrase);
  if (!keychain && !wantsPassphrase) {
    if (interactive(opts)) {
      const choice = await askChoice("Where should the key live?", [
        { name: "OS keychain (recommended)", value: "keychain", description: "unlocks with your login; back it up with `vault key export`" },
        { name: "Passphrase", value: "passphrase", description: "works on any machine; typed or read from VAULT_PASSPHRASE" },
        { name: "Both", value: "both", description: "keychain for daily use, passphrase as the backup" },
      ]);
      keychain = choice !== "passphrase";
      wantsPassphrase = choice !== "keychain";
    } else if (givenPassphrase(environ) !== undefined) {
      wantsPassphrase = true;
    } else {
      keychain = true;
    }
  }
  return wantsPassphrase ? { keychain, passphrase: await newPassphrase(opts) } : { keychain };
}
