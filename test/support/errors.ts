import { VaultError } from "../../src/errors.js";

/**
 * Capturing sealenv's refusals: a VaultError (IntegrityError included) is what a test
 * checks the code, reason or message of; any other error is a bug and fails the test.
 */

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

/** The VaultError a promise rejects with; anything else (or fulfilment) fails the test. */
export async function rejectionOf(promise: Promise<unknown>): Promise<VaultError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof VaultError) return err;
    throw err;
  }
  throw new Error("expected a VaultError");
}

/** What a call comes to: its value, or the VaultError it threw (a refusal is an outcome); anything else fails the test. */
export async function outcomeOf<T>(fn: () => T | Promise<T>): Promise<{ value: T; error?: undefined } | { error: VaultError; value?: undefined }> {
  try {
    return { value: await fn() };
  } catch (err) {
    if (err instanceof VaultError) return { error: err };
    throw err;
  }
}
