import { userInfo } from "node:os";
import path from "node:path";
import { nameSet } from "../crypto/name-digest.js";
import { loadSodium } from "../crypto/sodium.js";
import { IntegrityError } from "../errors.js";
import { appendLine, configDir, lastLine, readLines, withLogLock } from "../store/index.js";
import { GENESIS, keyedLine, parseLine, type AuditRecord } from "./audit-record.js";
import { ensureKey, headHolds, openKeychainSeal, readFileHeads, saveKeychainSeal, writeFileHeads, type Head, type Heads } from "./audit-seal.js";

export type { AuditRecord } from "./audit-record.js";

/**
 * What a command touched: some secrets by `names`, or `all` the secrets of the environment,
 * which the record keeps as their count and a digest of their names, whatever their number.
 */
export type AuditTouched = { names: string[] } | { all: string[] };

type AuditEntry = { command: string; vault: string; env: string } & AuditTouched;

/** Absolute: a log's head is filed under its path. */
export const auditFile = (environ: NodeJS.ProcessEnv) => path.resolve(environ.VAULT_AUDIT_LOG || path.join(configDir(environ), "audit.log"));

/** The login name; the OS is asked only when the environment does not say (it costs a lookup). */
function currentUser(environ: NodeJS.ProcessEnv): string {
  if (environ.USER || environ.USERNAME) return (environ.USER || environ.USERNAME) as string;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

/**
 * Appends a keyed record and moves the heads to it, all under the log's lock. A head that
 * no longer names a record in the log is left where it is: it is the evidence that
 * `vault audit --verify` reports, and moving it past the gap would launder the gap.
 */
export async function recordAudit(environ: NodeJS.ProcessEnv, entry: AuditEntry): Promise<void> {
  await loadSodium();
  const { command, vault, env } = entry;
  const header = { time: new Date().toISOString(), user: currentUser(environ), command, vault, env };
  const record: AuditRecord = "all" in entry ? { ...header, ...(await nameSet(entry.all)) } : { ...header, names: entry.names };
  const log = auditFile(environ);
  await withLogLock(log, async () => {
    const kc = await openKeychainSeal();
    const { n, prev, keyed } = nextPosition(log);
    const key = ensureKey(environ, kc, keyed);
    const fileHeads = readFileHeads(environ);
    const moveFileHead = headHolds(log, fileHeads[log]);
    const moveKeychainHead = kc !== undefined && headHolds(log, kc.heads[log]);
    const line = keyedLine(key, n, prev, record);
    const head: Head = { count: n, hash: line.hash, end: appendLine(log, line.text) };
    if (moveFileHead) writeFileHeads(environ, { ...fileHeads, [log]: head });
    if (kc && moveKeychainHead) saveKeychainSeal(kc, key, { ...kc.heads, [log]: head });
  });
}

/**
 * The next line's number, the hash it chains on, and whether the log is keyed already
 * (its last record is). Lines are counted only once, at the first keyed record of an old log.
 */
function nextPosition(log: string): { n: number; prev: string; keyed: boolean } {
  const tail = lastLine(log);
  if (!tail) return { n: 1, prev: GENESIS, keyed: false };
  const last = parseLine(tail.text);
  if (!last) throw notARecord(log);
  if (last.n !== undefined) return { n: last.n + 1, prev: last.hash, keyed: true };
  return { n: readLines(log).length + 1, prev: last.hash, keyed: false };
}

/**
 * Makes the log as it is now the one its heads name: after the user removed or trimmed it
 * on purpose, or kept a damaged one elsewhere as evidence. Checks nothing: say what you
 * accept with `vault audit --verify` first.
 */
export async function acceptAudit(environ: NodeJS.ProcessEnv): Promise<{ count: number; inKeychain: boolean }> {
  await loadSodium();
  const log = auditFile(environ);
  return withLogLock(log, async () => {
    const kc = await openKeychainSeal();
    const tail = lastLine(log);
    const last = tail && parseLine(tail.text);
    if (tail && !last) throw notARecord(log);
    const key = ensureKey(environ, kc, last?.n !== undefined);
    const head: Head = tail && last ? { count: readLines(log).length, hash: last.hash, end: tail.end } : { count: 0, hash: GENESIS, end: 0 };
    let others: Heads = {};
    try {
      others = readFileHeads(environ);
    } catch (err) {
      // A damaged head file is one of the things --accept is for.
      if (!(err instanceof IntegrityError)) throw err;
    }
    writeFileHeads(environ, { ...others, [log]: head });
    const inKeychain = kc !== undefined && saveKeychainSeal(kc, key, { ...kc.heads, [log]: head });
    return { count: head.count, inKeychain };
  });
}

function notARecord(log: string): IntegrityError {
  return new IntegrityError(
    "tampered",
    `the last line of ${log} is not an audit record`,
    "`vault audit --verify` shows where the log was changed; move the log away to start a new one",
  );
}
