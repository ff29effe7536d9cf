/**
 * The variables through which sealenv itself receives keys. They are for sealenv alone:
 * a child of `vault run`, the editor of `vault edit` and every git process sealenv starts
 * get an environment without them, so a script under `vault run -- npm ...` never sees a
 * master key (another environment's included). A leaf module, like errors.ts: every layer
 * that starts a process may use it.
 */
const EXACT = new Set([
  "VAULT_KEY",
  "VAULT_PASSPHRASE",
  "VAULT_PASSPHRASE_FILE",
  "VAULT_IDENTITY",
  "VAULT_SSH_KEY",
  "VAULT_AGE_KEY_FILE",
  // Not a key, but a waiver: a nested `vault` in the child's scripts must not inherit it.
  "VAULT_ALLOW_ROLLBACK",
]);

export function isCredentialVariable(name: string): boolean {
  return EXACT.has(name) || name.startsWith("VAULT_KEY_") || name.startsWith("VAULT_PASSPHRASE_");
}

/** A copy of `environ` without sealenv's credential variables. */
export function withoutCredentials(environ: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // fromEntries defines own properties: a variable named __proto__ is passed on like any other.
  return Object.fromEntries(Object.entries(environ).filter(([name]) => !isCredentialVariable(name)));
}
