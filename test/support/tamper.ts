/**
 * Vault files changed outside sealenv, the way the integrity and attack tests need them:
 * by hand, as raw JSON or text, by someone without the key (the MAC is left as it was); or
 * rewritten as a document, by a key holder's library that re-MACs what it changed
 * (see `reseal`) or by a forger who writes whole environments of their own.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { deriveKeys, parseKeyString, sealValue } from "../../src/crypto/index.js";
import { parseVault, serializeVault, type KeyLink, type KeySlot, type VaultDoc } from "../../src/format/index.js";
import { reseal } from "./environments.js";

/** An environment as the file holds it, for edits by hand. */
export interface RawEnv {
  generation: number;
  keyId: string;
  signer: string;
  retiredKeyIds: string[];
  keyLinks: KeyLink[];
  /** Slots as found, or as an attacker writes them (any field, any value). */
  slots: (KeySlot | Record<string, unknown>)[];
  secrets: Record<string, string>;
  mac: string;
}

/** The file as JSON, for edits by hand. */
export interface RawVault {
  sealenv: number;
  id: string;
  default: string;
  environments: Record<string, RawEnv>;
}

/**
 * Reads the file as JSON, lets `change` edit it, and writes it back as an editor would
 * leave it (two-space JSON, a newline at the end): to `to` if given, else in place.
 * Returns the text written.
 */
export function editByHand(file: string, change: (doc: RawVault) => void, to = file): string {
  const doc = JSON.parse(readFileSync(file, "utf8")) as RawVault;
  change(doc);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  writeFileSync(to, text);
  return text;
}

/** Edits the file as lines of text (for what JSON cannot hold: conflict markers, broken syntax). Returns the text written. */
export function editLines(file: string, change: (lines: string[]) => void): string {
  const lines = readFileSync(file, "utf8").split("\n");
  change(lines);
  const text = lines.join("\n");
  writeFileSync(file, text);
  return text;
}

/** The file as a document, parsed as sealenv parses it. */
export const readDoc = (file: string): VaultDoc => parseVault(readFileSync(file, "utf8"));

/**
 * Reads the file as a document, lets `change` edit it, and writes it back serialized as
 * sealenv writes it. Nothing is re-MACed unless `change` calls `reseal`. Returns the text written.
 */
export function rewriteDoc(file: string, change: (doc: VaultDoc) => void): string {
  const doc = readDoc(file);
  change(doc);
  const text = serializeVault(doc);
  writeFileSync(file, text);
  return text;
}

/** `sealed` with one base64url character changed, `fromEnd` characters before its end. */
export function flipCharacter(sealed: string, fromEnd: number): string {
  const i = sealed.length - fromEnd;
  return sealed.slice(0, i) + (sealed[i] === "A" ? "B" : "A") + sealed.slice(i + 1);
}

/** A secret's ciphertext with one character changed by hand. */
export function flipCiphertext(file: string, name: string, env = "development"): string {
  return editByHand(file, (doc) => {
    const secrets = doc.environments[env]!.secrets;
    secrets[name] = flipCharacter(secrets[name]!, 5);
  });
}

/** A secret removed by hand; with `to`, the result written to another file, the vault left as it was. */
export function dropSecret(file: string, name: string, env = "development", to = file): string {
  return editByHand(file, (doc) => delete doc.environments[env]!.secrets[name], to);
}

/** A ciphertext of the file put under another name or environment by hand. */
export function copyCiphertext(file: string, from: { name: string; env?: string }, to: { name: string; env?: string }): string {
  return editByHand(file, (doc) => {
    doc.environments[to.env ?? "development"]!.secrets[to.name] = doc.environments[from.env ?? "development"]!.secrets[from.name]!;
  });
}

/** A ciphertext put back by hand: one the secret held before (a rollback of one value). */
export function putCiphertext(file: string, name: string, sealed: string, env = "development"): string {
  return editByHand(file, (doc) => {
    doc.environments[env]!.secrets[name] = sealed;
  });
}

/** The file claiming another format version, every other byte as it was. */
export function setFormatVersion(file: string, version: number): string {
  const text = readFileSync(file, "utf8").replace(/"sealenv": \d+/, `"sealenv": ${version}`);
  writeFileSync(file, text);
  return text;
}

/** What a removed member does with the key she kept: seal values and re-MAC development, as any old build of sealenv would. */
export function writeWithOldKey(file: string, oldKey: string, values: Record<string, string>): void {
  rewriteDoc(file, (doc) => {
    const keys = deriveKeys(parseKeyString(oldKey, "mallory's old key").dataKey);
    const env = doc.environments.development!;
    for (const [name, value] of Object.entries(values)) env.secrets[name] = sealValue(keys, { vaultId: doc.id, env: "development", name }, value);
    reseal(doc, "development", keys);
  });
}
