import { VaultError } from "./errors.js";

/** A POSIX environment variable name: what a shell and `process.env` accept everywhere. */
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Lowercase, so `VAULT_KEY_<ENV>` and keychain accounts map back to exactly one environment. */
const ENV_NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** A member's name in recipient slots: a handle or an email address. */
export const MEMBER = /^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$/;

const MAX_NAME = 128;

export function isSecretName(name: string): boolean {
  return name.length <= MAX_NAME && SECRET_NAME.test(name);
}

export function isEnvName(name: string): boolean {
  return name.length <= MAX_NAME && ENV_NAME.test(name);
}

export function checkSecretName(name: string): string {
  if (!isSecretName(name)) {
    throw new VaultError(
      "usage",
      `invalid secret name ${JSON.stringify(name)}`,
      "a secret name is an environment variable name: letters, digits and _, not starting with a digit",
    );
  }
  return name;
}

export function checkEnvName(name: string): string {
  if (!isEnvName(name)) {
    throw new VaultError(
      "usage",
      `invalid environment name ${JSON.stringify(name)}`,
      "an environment name is lowercase letters, digits, - and _, starting with a letter or digit",
    );
  }
  return name;
}

/** The variable that carries a key string for one environment: production -> VAULT_KEY_PRODUCTION. */
export function keyVariableFor(env: string): string {
  return `VAULT_KEY_${variablePart(env)}`;
}

/** The variable that carries a passphrase for one environment: production -> VAULT_PASSPHRASE_PRODUCTION. */
export function passphraseVariableFor(env: string): string {
  return `VAULT_PASSPHRASE_${variablePart(env)}`;
}

const variablePart = (env: string) => env.toUpperCase().replace(/-/g, "_");

export function checkMemberName(name: string): string {
  if (!MEMBER.test(name)) {
    throw new VaultError("usage", `invalid member name ${JSON.stringify(name)}`, "use a handle or an email address: letters, digits and . _ @ + -");
  }
  return name;
}
