import { isCredentialVariable } from "../credentials.js";

/**
 * The child's environment: the parent's, without sealenv's own credentials (VAULT_KEY*,
 * VAULT_PASSPHRASE*, ...: they are for `vault`, and a script it runs must not read a
 * master key), plus the vault's secrets. An existing variable wins unless `override` (the
 * dotenv convention: what the shell says is deliberate).
 *
 * A null-prototype object, so a secret named `constructor` or `__proto__` is a key like
 * any other: on `{}` the first reads as already set and the second is swallowed.
 */
export function mergeEnvironment(parent: NodeJS.ProcessEnv, secrets: Record<string, string>, override: boolean): NodeJS.ProcessEnv {
  const merged = Object.create(null) as NodeJS.ProcessEnv;
  for (const [name, value] of Object.entries(parent)) {
    if (!isCredentialVariable(name)) merged[name] = value;
  }
  for (const [name, value] of Object.entries(secrets)) {
    if (override || merged[name] === undefined) merged[name] = value;
  }
  return merged;
}
