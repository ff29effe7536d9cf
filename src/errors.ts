/**
 * The one error family. Every condition we anticipate is a VaultError with a stable
 * code; src/cli/exit-codes.ts maps codes to exit codes in one place. Messages are
 * terse and lowercase, hints say what to do next. Neither ever holds a secret value.
 */
export type ErrorCode =
  | "usage"
  | "not_found"
  | "exists"
  | "no_key"
  | "wrong_key"
  | "stale_key"
  | "other_env_key"
  | "bad_key_string"
  | "integrity"
  | "rolled_back"
  | "replaced"
  | "bad_vault"
  | "kdf_bounds"
  | "unsupported_version"
  | "keychain_unavailable"
  | "locked"
  | "io"
  | "command_not_found"
  | "command_not_executable"
  | "cancelled"
  | "conflict"
  | "leak"
  | "overdue"
  | "unhealthy"
  | "unsafe_vault"
  | "unchecked";

/** Why a value or an environment failed to verify; the user sees one message, tests see the cause. */
export type IntegrityCause = "tampered" | "moved" | "mac_mismatch" | "signer_mismatch";

/** Every anticipated failure: `code` is stable (a semver promise), `message` one line, `hint` what to do next. */
export class VaultError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, hint?: string) {
    super(message);
    this.name = "VaultError";
    this.code = code;
    this.hint = hint;
  }
}

export class IntegrityError extends VaultError {
  readonly reason: IntegrityCause;

  constructor(reason: IntegrityCause, message: string, hint?: string) {
    super("integrity", message, hint);
    this.reason = reason;
  }
}

/** True for a VaultError, the error every anticipated failure is; anything else is a bug. */
export function isVaultError(err: unknown): err is VaultError {
  return err instanceof VaultError;
}
