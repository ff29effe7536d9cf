import { canonicalEnvironment, type Environment } from "../format/index.js";
import { IntegrityError } from "../errors.js";
import { fromB64, na, toB64 } from "./sodium.js";
import type { EnvKeys } from "./subkeys.js";

const MAC_BYTES = 32;

export function environmentMac(keys: EnvKeys, vaultId: string, envName: string, env: Pick<Environment, "keyId" | "secrets">): string {
  return toB64(na().crypto_generichash(MAC_BYTES, canonicalEnvironment(vaultId, envName, env), keys.macKey));
}

/** Detects entries removed, added, swapped or rolled back outside sealenv. */
export function verifyEnvironmentMac(keys: EnvKeys, vaultId: string, envName: string, env: Environment): void {
  const expected = na().crypto_generichash(MAC_BYTES, canonicalEnvironment(vaultId, envName, env), keys.macKey);
  const actual = fromB64(env.mac);
  if (!actual || actual.length !== MAC_BYTES || !na().memcmp(expected, actual)) {
    throw new IntegrityError(
      "mac_mismatch",
      `${envName} was modified outside sealenv: a secret was removed, added, swapped or rolled back`,
      "restore secrets.vault from git (`git log -p secrets.vault` shows what changed)",
    );
  }
}
