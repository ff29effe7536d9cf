import { VaultError } from "../errors.js";
import { keyVariableFor } from "../format/index.js";
import { ageSource } from "./age-source.js";
import { envVarSource } from "./env-var.js";
import { identitySource } from "./identity-source.js";
import { keychainSource } from "./keychain-source.js";
import { passphraseSource } from "./passphrase-source.js";
import type { Attempt, FoundKey, KeyContext, KeySource } from "./types.js";

/**
 * The brief's order: env var (CI), keychain, a sealenv (or ssh) identity opening a member
 * slot, then an age identity opening an age member slot, passphrase.
 */
const SOURCES: KeySource[] = [envVarSource, keychainSource, identitySource, ageSource, passphraseSource];

export async function resolveKey(ctx: KeyContext): Promise<FoundKey> {
  const attempts: Attempt[] = [];
  for (const source of SOURCES) {
    const found = await source.find(ctx, attempts);
    if (found) return found;
  }
  throw noKeyError(ctx, attempts);
}

function noKeyError(ctx: KeyContext, attempts: Attempt[]): VaultError {
  const tried = attempts.map((a) => `${a.source}: ${a.outcome}`).join("; ");
  const variable = keyVariableFor(ctx.envName);
  const exportHint = `set ${variable} to the output of \`vault key export --env ${ctx.envName}\` from a machine that has the key`;
  if (attempts.some((a) => a.stale)) {
    return new VaultError(
      "stale_key",
      `no current key for ${ctx.envName}: the keychain holds the key from before a rotation (tried ${tried})`,
      `get the new key with \`vault key export --env ${ctx.envName}\` where it works, then \`vault key import\` it here`,
    );
  }
  const other = attempts.find((a) => a.otherEnv !== undefined);
  if (other) {
    return new VaultError(
      "other_env_key",
      `${other.source} holds the key for ${other.otherEnv}, not ${ctx.envName} (tried ${tried})`,
      `pass --env ${other.otherEnv} to use it, or set ${variable} to the ${ctx.envName} key`,
    );
  }
  if (attempts.some((a) => a.notMember)) {
    const orPassphrase = ctx.env.slots.some((s) => s.type === "passphrase") ? ", or use its passphrase (VAULT_PASSPHRASE)" : "";
    return new VaultError(
      "no_key",
      `no key for ${ctx.envName}: you are not one of its members (tried ${tried})`,
      `ask someone who holds the ${ctx.envName} key to run \`vault member add YOUR_NAME YOUR_KEY --env ${ctx.envName}\` (your key: \`vault identity show\`)${orPassphrase}`,
    );
  }
  if (attempts.some((a) => a.unavailable) && ctx.env.slots.length === 0) {
    return new VaultError(
      "keychain_unavailable",
      `no key for ${ctx.envName}: no keychain on this machine and ${ctx.envName} has no passphrase slot (tried ${tried})`,
      `on a headless machine, ${exportHint}`,
    );
  }
  const promptHint = ctx.env.slots.length > 0 ? ", or run it in a terminal to type the passphrase, or set VAULT_PASSPHRASE" : "";
  return new VaultError("no_key", `no key for ${ctx.envName} (tried ${tried})`, `${exportHint}${promptHint}`);
}
