import { checkNewPassphrase as checkStrength } from "../crypto/index.js";
import { passphraseFromEnviron } from "../keys/index.js";

/**
 * The passphrase the environment gives for `envName` (VAULT_PASSPHRASE_<ENV>, then
 * VAULT_PASSPHRASE, then the file VAULT_PASSPHRASE_FILE names), or undefined: how a
 * command that writes a passphrase slot learns it without a prompt.
 */
export function givenPassphrase(environ: NodeJS.ProcessEnv, envName?: string): string | undefined {
  return passphraseFromEnviron(environ, envName)?.passphrase;
}

/** Refuses, as a usage error, a passphrase too weak for a slot in a committed file. */
export function checkNewPassphrase(passphrase: string): void {
  checkStrength(passphrase);
}
