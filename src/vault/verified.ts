import type { EnvKeys } from "../crypto/index.js";
import type { Environment } from "../format/index.js";

/**
 * Environments whose MAC this process has checked, or computed, with a key, by object,
 * with the bytes the MAC covered: a write that reuses the document it opened (the file
 * unchanged since) need not hash 10,000 secrets a second time, and one that only replaces
 * values makes the next input from these bytes. An environment parsed again is a new
 * object, checked anew.
 */
const verifiedWith = new WeakMap<Environment, { keyId: string; input: Uint8Array }>();

export function noteVerified(env: Environment, keys: EnvKeys, input: Uint8Array): void {
  verifiedWith.set(env, { keyId: keys.keyId, input });
}

export function wasVerified(env: Environment, keys: EnvKeys): boolean {
  return verifiedWith.get(env)?.keyId === keys.keyId;
}

/** The bytes the environment's MAC covered when this process last checked or computed it with `keys`. */
export function verifiedInput(env: Environment, keys: EnvKeys): Uint8Array | undefined {
  const known = verifiedWith.get(env);
  return known?.keyId === keys.keyId ? known.input : undefined;
}
