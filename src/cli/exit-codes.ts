import type { ErrorCode } from "../errors.js";

/** Every exit code sealenv uses; the README lists them. Stable: scripts depend on them. */
export const EXIT = {
  OK: 0,
  BUG: 1,
  USAGE: 2,
  NOT_FOUND: 3,
  EXISTS: 4,
  NO_KEY: 5,
  WRONG_KEY: 6,
  STALE_KEY: 7,
  OTHER_ENV_KEY: 8,
  BAD_KEY_STRING: 9,
  INTEGRITY: 10,
  BAD_VAULT: 11,
  UNSUPPORTED_VERSION: 12,
  KEYCHAIN_UNAVAILABLE: 13,
  LOCKED: 14,
  IO: 15,
  CONFLICT: 16,
  LEAK: 17,
  OVERDUE: 18,
  UNHEALTHY: 19,
  ROLLED_BACK: 20,
  REPLACED: 21,
  UNSAFE_VAULT: 22,
  CANCELLED: 130,
  COMMAND_NOT_EXECUTABLE: 126,
  COMMAND_NOT_FOUND: 127,
} as const;

const BY_CODE: Record<ErrorCode, number> = {
  usage: EXIT.USAGE,
  not_found: EXIT.NOT_FOUND,
  exists: EXIT.EXISTS,
  no_key: EXIT.NO_KEY,
  wrong_key: EXIT.WRONG_KEY,
  stale_key: EXIT.STALE_KEY,
  other_env_key: EXIT.OTHER_ENV_KEY,
  bad_key_string: EXIT.BAD_KEY_STRING,
  integrity: EXIT.INTEGRITY,
  rolled_back: EXIT.ROLLED_BACK,
  replaced: EXIT.REPLACED,
  bad_vault: EXIT.BAD_VAULT,
  kdf_bounds: EXIT.BAD_VAULT,
  unsupported_version: EXIT.UNSUPPORTED_VERSION,
  keychain_unavailable: EXIT.KEYCHAIN_UNAVAILABLE,
  locked: EXIT.LOCKED,
  io: EXIT.IO,
  command_not_found: EXIT.COMMAND_NOT_FOUND,
  command_not_executable: EXIT.COMMAND_NOT_EXECUTABLE,
  cancelled: EXIT.CANCELLED,
  conflict: EXIT.CONFLICT,
  leak: EXIT.LEAK,
  overdue: EXIT.OVERDUE,
  unhealthy: EXIT.UNHEALTHY,
  unsafe_vault: EXIT.UNSAFE_VAULT,
};

export function exitCodeFor(code: ErrorCode): number {
  return BY_CODE[code];
}
