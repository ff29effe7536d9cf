import type { Environment } from "../format/index.js";
import { IntegrityError } from "../errors.js";
import { macInput, type EnvironmentPlace } from "./mac-input.js";
import { fromB64, sodium, toB64 } from "./sodium.js";
import type { EnvKeys } from "./subkeys.js";

const MAC_BYTES = 32;

/** The MAC of an environment, from its input when the caller has it already (see replacedInput). */
export function environmentMac(keys: EnvKeys, place: EnvironmentPlace, env: Omit<Environment, "mac">, input = macInput(place, env)): string {
  return toB64(sodium().crypto_generichash(MAC_BYTES, input, keys.macKey));
}

/**
 * Detects any change made without the key: a slot, a link, the default flag, the generation, a secret.
 * Returns the input it verified, from which a write that only replaces values makes the next one.
 */
export function verifyEnvironmentMac(keys: EnvKeys, place: EnvironmentPlace, env: Environment): Uint8Array {
  const input = macInput(place, env);
  const expected = sodium().crypto_generichash(MAC_BYTES, input, keys.macKey);
  const actual = fromB64(env.mac);
  if (!actual || actual.length !== MAC_BYTES || !sodium().memcmp(expected, actual)) {
    throw new IntegrityError(
      "mac_mismatch",
      `${place.envName} was modified outside sealenv: a secret, a member or passphrase slot, a key link, its generation or whether it is the default was changed without its key`,
      "restore secrets.vault from git (`git log -p secrets.vault` shows what changed) and ask who changed it",
    );
  }
  return input;
}

/** Same MAC input, so the MAC of one may stand for the other: how a merge keeps a side's MAC without a key. */
export function sameMacInput(a: { place: EnvironmentPlace; env: Omit<Environment, "mac"> }, b: { place: EnvironmentPlace; env: Omit<Environment, "mac"> }): boolean {
  return Buffer.from(macInput(a.place, a.env)).equals(macInput(b.place, b.env));
}
