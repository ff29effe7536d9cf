import { deriveKeys, sameId, type EnvKeys } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import type { KeyContext } from "./types.js";

export type Fit = "current" | "stale" | "unknown";

/** Is this the environment's current key, one it had before a rotation, or neither? */
export function fitOf(ctx: KeyContext, keyId: string): Fit {
  if (sameId(keyId, ctx.env.keyId)) return "current";
  return ctx.env.retiredKeyIds.some((old) => sameId(old, keyId)) ? "stale" : "unknown";
}

/** Accepts a key only if it is the environment's current one; otherwise a precise error. */
export function requireCurrent(ctx: KeyContext, dataKey: Uint8Array, origin: string): EnvKeys {
  const keys = deriveKeys(dataKey);
  const fit = fitOf(ctx, keys.keyId);
  if (fit === "stale") {
    throw new VaultError(
      "stale_key",
      `${origin} holds an old key for ${ctx.envName}: the environment was rotated since`,
      `get the current key with \`vault key export --env ${ctx.envName}\` where it works, and replace it`,
    );
  }
  if (fit === "unknown") {
    throw new VaultError(
      "wrong_key",
      `${origin} holds a key that does not belong to this vault's ${ctx.envName} environment`,
      "check that it was exported from this project's vault (`vault key export`)",
    );
  }
  return keys;
}
