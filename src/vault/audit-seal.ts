import { mkdirSync } from "node:fs";
import path from "node:path";
import { decodeAuditKey, encodeAuditKey, newAuditKey, sameAuditHash } from "../crypto/audit-hash.js";
import { IntegrityError, isVaultError } from "../errors.js";
import { keychainEntry, keychainMayAnswer, type KeychainEntry } from "../keys/keychain.js";
import { configDir, lineEndingAt, readPrivateFile, writeAtomic, writeLogHead } from "../store/index.js";
import { parseLine } from "./audit-record.js";

/**
 * Where the audit key and the logs' heads live, and why there.
 *
 * The key (32 random bytes) is in a 0600 file (audit.key) beside the identity, and, where
 * a keychain answers, copied into its "audit" entry, which restores a lost file. Each
 * log's head (the number and hash of its newest record, and where its line ends) is
 * rewritten on every append, under the log's lock: in a 0600 file (audit.head) always,
 * and in the keychain entry whenever a keychain answers.
 *
 * The trade-off, as an attacker sees it. The key in a file lets every append key its
 * record, keychain or not (an ssh session, cron, a locked keyring, a server), and it
 * means whoever can read the user's files can key records too: they can add records. They
 * cannot remove, edit, reorder or cut off a record the keychain's head covers: the head
 * names the newest record by its hash, which covers every record before it; writing a
 * new head needs the keychain; and an append moves a head only if the record it names is
 * still where it was, so the next `vault run` does not launder a rewrite into a new head.
 * A key kept only in the keychain would stop added records as well, at the price of
 * losing the record of every command that cannot reach the keychain.
 *
 * Where no keychain answers, key and head are both files: whoever can write the user's
 * files can rewrite the log, the key and the head together, undetected. The head still
 * catches a log cut or rewritten by someone who did not also rewrite the head file, and
 * the key stops anyone who cannot read audit.key from re-chaining an edited log.
 *
 * The cost: where a keychain may answer, an append opens one entry (on Linux one D-Bus
 * connection) to read and write the head. Where none can (no session bus: CI, servers),
 * keychainMayAnswer says so without loading the native binding, and an append touches
 * files only.
 */
export interface Head {
  /** The newest record's line number (0: an empty log accepted with --accept). */
  count: number;
  hash: string;
  /** The log's length in bytes just after that record's line. */
  end: number;
}

/** Heads by absolute log path: VAULT_AUDIT_LOG may point several logs at one key. */
export type Heads = Record<string, Head>;

/** The keychain's entry as read, still open to be written back. */
export interface KeychainSeal {
  entry: KeychainEntry;
  key: Uint8Array | undefined;
  heads: Heads;
}

const ACCOUNT = "audit";

export const auditKeyFile = (environ: NodeJS.ProcessEnv) => path.join(configDir(environ), "audit.key");
export const auditHeadFile = (environ: NodeJS.ProcessEnv) => path.join(configDir(environ), "audit.head");

/** Undefined when no keychain answers; a keychain that answers with no entry yet gives an empty seal. */
export async function openKeychainSeal(): Promise<KeychainSeal | undefined> {
  if (!keychainMayAnswer()) return undefined;
  let entry: KeychainEntry;
  let text: string | undefined;
  try {
    entry = await keychainEntry(ACCOUNT);
    text = entry.get();
  } catch (err) {
    if (isVaultError(err) && err.code === "keychain_unavailable") return undefined;
    throw err;
  }
  if (text === undefined) return { entry, key: undefined, heads: {} };
  const parsed = parseSeal(text);
  if (!parsed?.key) throw damaged("the OS keychain's sealenv audit entry");
  return { entry, key: parsed.key, heads: parsed.heads };
}

/** Writes the key and heads back; false when the keychain stopped answering (the next append catches up). */
export function saveKeychainSeal(kc: KeychainSeal, key: Uint8Array, heads: Heads): boolean {
  try {
    kc.entry.set(JSON.stringify({ v: 1, key: encodeAuditKey(key), heads }));
    return true;
  } catch (err) {
    if (isVaultError(err) && err.code === "keychain_unavailable") return false;
    throw err;
  }
}

export function readKeyFile(environ: NodeJS.ProcessEnv): Uint8Array | undefined {
  const file = auditKeyFile(environ);
  const text = readPrivateFile(file);
  if (text === undefined) return undefined;
  const key = parseSeal(text)?.key;
  if (!key) throw damaged(file);
  return key;
}

/**
 * The key to chain with: the file's, which every append can reach, keychain or not; else
 * the keychain's copy, restored to the file; else a new one. Never a new one for a log
 * that is keyed already: its records would no longer verify, so that is an error to fix
 * by hand. The caller's save then copies the file's key into the keychain.
 */
export function ensureKey(environ: NodeJS.ProcessEnv, kc: KeychainSeal | undefined, logIsKeyed: boolean): Uint8Array {
  const file = auditKeyFile(environ);
  const fileKey = readKeyFile(environ);
  if (fileKey) return fileKey;
  const key = kc?.key ?? (logIsKeyed ? undefined : newAuditKey());
  if (!key) {
    throw new IntegrityError("tampered", `the audit log is keyed, but its key (${file}) is gone`, `restore ${file} from a backup, or move the log away to start a new one`);
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  try {
    writeAtomic(file, `${JSON.stringify({ v: 1, key: encodeAuditKey(key) })}\n`, { mode: 0o600, exclusive: true });
  } catch (err) {
    // Another process created it first: chain with theirs.
    if (!isVaultError(err) || err.code !== "exists") throw err;
  }
  return readKeyFile(environ) as Uint8Array;
}

export function readFileHeads(environ: NodeJS.ProcessEnv): Heads {
  const file = auditHeadFile(environ);
  const text = readPrivateFile(file);
  if (text === undefined) return {};
  const parsed = parseSeal(text);
  if (!parsed) throw damaged(file);
  return parsed.heads;
}

export function writeFileHeads(environ: NodeJS.ProcessEnv, heads: Heads): void {
  writeLogHead(auditHeadFile(environ), `${JSON.stringify({ v: 1, heads })}\n`);
}

/**
 * True when the log still has, where the head says, the record the head names (or no
 * head was kept yet). Reads one line: appends must not slow as the log grows.
 */
export function headHolds(log: string, head: Head | undefined): boolean {
  if (!head || head.count === 0) return true;
  const text = lineEndingAt(log, head.end);
  const line = text === undefined ? undefined : parseLine(text);
  return line !== undefined && sameAuditHash(line.hash, head.hash) && (line.n === undefined || line.n === head.count);
}

function parseSeal(text: string): { key: Uint8Array | undefined; heads: Heads } | undefined {
  let raw: { v?: unknown; key?: unknown; heads?: unknown };
  try {
    raw = JSON.parse(text) as typeof raw;
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null || raw.v !== 1) return undefined;
  const key = typeof raw.key === "string" ? decodeAuditKey(raw.key) : undefined;
  if (raw.key !== undefined && !key) return undefined;
  const heads: Heads = {};
  if (raw.heads !== undefined) {
    if (typeof raw.heads !== "object" || raw.heads === null) return undefined;
    for (const [log, h] of Object.entries(raw.heads as Record<string, Partial<Head>>)) {
      if (!Number.isSafeInteger(h?.count) || !Number.isSafeInteger(h?.end) || typeof h?.hash !== "string") return undefined;
      heads[log] = { count: h.count as number, hash: h.hash, end: h.end as number };
    }
  }
  return { key, heads };
}

function damaged(where: string): IntegrityError {
  return new IntegrityError(
    "tampered",
    `the audit trail's key or head in ${where} is damaged`,
    "keep a copy of the log if you need it as evidence; `vault audit --accept` records a new head",
  );
}
