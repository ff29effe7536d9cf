/**
 * Team vaults written with the library, as a key holder's `vault init` + `vault member add`
 * would leave them (without a passphrase slot, so no Argon2id), and forgeries made with the
 * same crypto and the public keys anyone can read in the file.
 */
import { deriveKeys, newDataKey, newVaultId, sealToRecipient, toB64, type EnvKeys } from "../../src/crypto/index.js";
import type { Environment, KeySlot, RecipientSlot, VaultDoc } from "../../src/format/index.js";
import { sealedEnvironment, vaultOf } from "./environments.js";
import type { Person } from "./people.js";

export const DEV = { API_URL: "https://api.internal.example", DB_PASSWORD: "dev-password-1234", X: "the-real-x-value" };
export const PROD = { API_URL: "https://api.example.com", DB_PASSWORD: "prod-password-5678", X: "the-real-prod-x" };
/** What an attacker wants a member's program to receive; NODE_OPTIONS would run code in any node child. */
export const EVIL = { X: "attacker-chosen-x", NODE_OPTIONS: "--import=data:text/javascript,console.log(`PWNED`)" };
export const EVIL_MARKS = ["attacker-chosen-x", "PWNED"];

/** A member slot: `dataKey` sealed to `p`'s public key, under `label`. */
export const slotFor = (p: Person, dataKey: Uint8Array, label = p.name): RecipientSlot => ({
  type: "recipient",
  member: label,
  kind: "sealenv",
  pk: toB64(p.publicKey),
  box: sealToRecipient(dataKey, p.publicKey),
});

export interface Team {
  doc: VaultDoc;
  keys: Record<string, EnvKeys>;
}

export type Spec = Record<string, { members: Person[]; values: Record<string, string>; slots?: (keys: EnvKeys) => KeySlot[] }>;

/** A vault as its key holder writes it: one fresh key per environment, sealed to the members. */
export function buildVault(spec: Spec, defaultEnv = "development", id = newVaultId()): Team {
  const keys: Record<string, EnvKeys> = {};
  const environments: Record<string, Environment> = {};
  for (const [envName, { members, values, slots }] of Object.entries(spec)) {
    const k = deriveKeys(newDataKey());
    keys[envName] = k;
    environments[envName] = sealedEnvironment(k, { vaultId: id, envName, isDefault: envName === defaultEnv }, values, {
      slots: slots ? slots(k) : members.map((p) => slotFor(p, k.dataKey)),
    });
  }
  return { doc: vaultOf(id, defaultEnv, environments), keys };
}

/** An environment made by someone holding no key of it: a fresh key of their own, sealed to public keys. */
export function forgedEnvironment(keys: EnvKeys, vaultId: string, envName: string, isDefault: boolean, members: Person[], values: Record<string, string>, fields: Partial<Omit<Environment, "mac" | "secrets">> = {}): Environment {
  return sealedEnvironment(keys, { vaultId, envName, isDefault }, values, { slots: members.map((p) => slotFor(p, keys.dataKey)), ...fields });
}
