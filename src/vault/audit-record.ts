import { auditHash, legacyAuditHash, sameAuditHash } from "../crypto/audit-hash.js";

/** One record: who did what to which secrets. Never a value. */
export interface AuditRecord {
  time: string;
  user: string;
  command: string;
  vault: string;
  env: string;
  names: string[];
}

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

const fieldsOf = (r: AuditRecord) => [r.time, r.user, r.command, r.vault, r.env, r.names];

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
  const { n, prev, hash, time, user, command, vault, env, names } = raw;
  const strings = [prev, hash, time, user, command, vault, env].every((x) => typeof x === "string");
  if (!strings || !Array.isArray(names) || (n !== undefined && !Number.isSafeInteger(n))) return undefined;
  return {
    record: { time, user, command, vault, env, names } as AuditRecord,
    n: n as number | undefined,
    prev: prev as string,
    hash: hash as string,
  };
}

/** True when `line` is the record that belongs at line `n` after `prev`: keyed records need the key. */
export function chainsOn(line: ChainedRecord, n: number, prev: string, key: Uint8Array | undefined): boolean {
  // `prev` is the previous line's own hash field, public: only the computed hash is a tag.
  if (line.prev !== prev) return false;
  if (line.n === undefined) return sameAuditHash(line.hash, legacyAuditHash(prev, fieldsOf(line.record)));
  return key !== undefined && line.n === n && sameAuditHash(line.hash, auditHash(key, prev, [n, ...fieldsOf(line.record)]));
}
