import { auditHash, legacyAuditHash, sameAuditHash } from "../crypto/audit-hash.js";
import { isNameDigest } from "../crypto/name-digest.js";

/** Who did what, where. Never a value. */
interface AuditHeader {
  time: string;
  user: string;
  command: string;
  vault: string;
  env: string;
}

/** A command that touched some secrets (get, set, rm, import, edit): their names. */
interface NamedRecord extends AuditHeader {
  names: string[];
}

/**
 * A command that read or re-sealed every secret of the environment (run, export, ci
 * github, rotate, member rm): how many, and a digest of their names (see nameSet), so the
 * record does not grow with the vault. Earlier versions wrote such a command as a named
 * record listing every name; those still read and verify.
 */
interface WholeRecord extends AuditHeader {
  count: number;
  digest: string;
}

export type AuditRecord = NamedRecord | WholeRecord;

/**
 * A line of the log. `n` is the line number, covered by the keyed hash so records cannot
 * be renumbered; a line without it was written before the chain was keyed (legacy).
 */
export interface ChainedRecord {
  record: AuditRecord;
  n: number | undefined;
  prev: string;
  hash: string;
}

/** The `prev` of the first record. */
export const GENESIS = "sealenv-audit-v1";

/**
 * What a record's hash covers. A named record hashes as sealenv always did, so old logs
 * verify; a whole record has one field more, and a number where the names' array was, so
 * the two kinds never share an encoding.
 */
const fieldsOf = (r: AuditRecord) => {
  const header = [r.time, r.user, r.command, r.vault, r.env];
  return "names" in r ? [...header, r.names] : [...header, r.count, r.digest];
};

export function keyedLine(key: Uint8Array, n: number, prev: string, record: AuditRecord): { text: string; hash: string } {
  const hash = auditHash(key, prev, [n, ...fieldsOf(record)]);
  return { text: JSON.stringify({ ...record, n, prev, hash }), hash };
}

/** Undefined for a line that is not a record of either kind. */
export function parseLine(text: string): ChainedRecord | undefined {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (typeof raw !== "object" || raw === null) return undefined;
  const { n, prev, hash, time, user, command, vault, env, names, count, digest } = raw;
  const strings = [prev, hash, time, user, command, vault, env].every((x) => typeof x === "string");
  if (!strings || (n !== undefined && !Number.isSafeInteger(n))) return undefined;
  const header = { time, user, command, vault, env } as AuditHeader;
  let record: AuditRecord;
  if (Array.isArray(names) && count === undefined && digest === undefined) record = { ...header, names };
  // Whole records were never written before the chain was keyed.
  else if (names === undefined && n !== undefined && Number.isSafeInteger(count) && (count as number) >= 0 && isNameDigest(digest)) {
    record = { ...header, count: count as number, digest };
  } else return undefined;
  return { record, n: n as number | undefined, prev: prev as string, hash: hash as string };
}

/** True when `line` is the record that belongs at line `n` after `prev`: keyed records need the key. */
export function chainsOn(line: ChainedRecord, n: number, prev: string, key: Uint8Array | undefined): boolean {
  // `prev` is the previous line's own hash field, public: only the computed hash is a tag.
  if (line.prev !== prev) return false;
  if (line.n === undefined) return sameAuditHash(line.hash, legacyAuditHash(prev, fieldsOf(line.record)));
  return key !== undefined && line.n === n && sameAuditHash(line.hash, auditHash(key, prev, [n, ...fieldsOf(line.record)]));
}
