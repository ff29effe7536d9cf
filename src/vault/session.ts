import path from "node:path";
import { VaultError } from "../errors.js";
import { checkEnvName, ownEntry, parseVault, type Environment, type VaultDoc } from "../format/index.js";
import { findVault, readVaultBytes, readVaultText } from "../store/index.js";

/** What every operation needs from its caller: where it runs and how it may ask. */
export interface Session {
  cwd: string;
  environ: NodeJS.ProcessEnv;
  /** --vault; falls back to VAULT_FILE, then a search upwards from cwd. */
  vaultPath?: string;
  /** --env; falls back to VAULT_ENV, then the vault's default. */
  envName?: string;
  askPassphrase?: (question: string) => Promise<string>;
  /** --allow-rollback / VAULT_ALLOW_ROLLBACK=1: read an environment older than one seen here. */
  allowRollback?: boolean;
}

export interface OpenVault {
  file: string;
  doc: VaultDoc;
  /** Set when an environment was read as an older version: why every write is refused. */
  readOnly?: string;
  /**
   * The file's bytes as this process last read or wrote them, while `doc` is them parsed
   * and unchanged: a write under the lock that finds the same bytes reuses `doc`.
   */
  bytes?: Buffer;
}

export async function openVault(s: Session): Promise<OpenVault> {
  const file = findVault(s.cwd, s.vaultPath ?? (s.environ.VAULT_FILE || undefined), s.environ);
  const bytes = readVaultBytes(file);
  return { file, doc: docOf(file, bytes.toString("utf8")), bytes };
}

export function readDoc(file: string): VaultDoc {
  return docOf(file, readVaultText(file));
}

/** A vault file's text parsed, its errors naming the file. */
export const docOf = (file: string, text: string): VaultDoc => parseVault(text, path.basename(file));

/** Whether the environment comes from the file's `default` rather than from the user (--env, VAULT_ENV). */
export function defaultChosen(s: Session): boolean {
  return s.envName === undefined && !s.environ.VAULT_ENV;
}

/** The environment a command acts on: --env, then VAULT_ENV, then the vault's default. */
export function chosenEnv(s: Session, doc: VaultDoc): string {
  const name = s.envName ?? (s.environ.VAULT_ENV || undefined) ?? doc.defaultEnv;
  checkEnvName(name);
  environmentOf(doc, name);
  return name;
}

export function environmentOf(doc: VaultDoc, name: string): Environment {
  const env = ownEntry(doc.environments, name);
  if (!env) {
    const known = Object.keys(doc.environments).join(", ");
    throw new VaultError("not_found", `no environment ${name} in this vault (it has: ${known})`, `create it with \`vault env add ${name}\``);
  }
  return env;
}

/** Whether a passphrase opens the environment: then a change of key must re-wrap that slot. */
export function hasPassphraseSlot(doc: VaultDoc, name: string): boolean {
  return environmentOf(doc, name).slots.some((slot) => slot.type === "passphrase");
}
