import { VaultError } from "../../src/errors.js";

/** The VaultError a call throws; anything else (or nothing) fails the test. */
export function errorOf(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (err) {
    if (err instanceof VaultError) return err;
    throw err;
  }
  throw new Error("expected a VaultError");
}
