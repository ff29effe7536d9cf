import { checkNewPassphrase, givenPassphrase } from "../vault.js";
import { VaultError } from "../errors.js";
import { interactive, type CommonOptions } from "./context.js";
import { askHidden, askNewPassphrase } from "./prompts.js";

/** The passphrase for a new slot: VAULT_PASSPHRASE_<ENV>, VAULT_PASSPHRASE(_FILE), else typed twice on a terminal. Too short is refused. */
export async function newPassphrase(opts: CommonOptions, envName?: string): Promise<string> {
  const given = givenPassphrase(process.env, envName);
  if (given !== undefined) {
    checkNewPassphrase(given);
    return given;
  }
  if (!interactive(opts)) {
    throw new VaultError("usage", "--passphrase needs a passphrase, and there is no terminal to ask on", "set VAULT_PASSPHRASE or VAULT_PASSPHRASE_FILE");
  }
  return askNewPassphrase(checkNewPassphrase);
}

/**
 * The passphrase that re-wraps existing passphrase slots when a key changes, if one can be
 * had; without it the domain refuses with its own error.
 */
export async function rewrapPassphrase(opts: CommonOptions, question: string, envName?: string): Promise<string | undefined> {
  const given = givenPassphrase(process.env, envName);
  if (given !== undefined) return given;
  return interactive(opts) ? askHidden(question) : undefined;
}
