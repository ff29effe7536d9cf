import type { EnvKeys } from "../crypto/index.js";
import type { Environment } from "../format/index.js";

/**
 * Environments whose MAC this process has checked, or computed, with a key, by object:
 * a write that reuses the document it opened (the file unchanged since) need not hash
 * 10,000 secrets a second time. An environment parsed again is a new object, checked anew.
 */
const verifiedWith = new WeakMap<Environment, string>();

export function noteVerified(env: Environment, keys: EnvKeys): void {
  verifiedWith.set(env, keys.keyId);
}

export function wasVerified(env: Environment, keys: EnvKeys): boolean {
  return verifiedWith.get(env) === keys.keyId;
}
