import { sameAuditHash } from "../crypto/audit-hash.js";
import { loadSodium } from "../crypto/sodium.js";
import { IntegrityError } from "../errors.js";
import { readLines } from "../store/index.js";
import { auditFile } from "./audit-append.js";
import { chainsOn, GENESIS, parseLine, type AuditRecord } from "./audit-record.js";
import { auditHeadFile, auditKeyFile, openKeychainSeal, readFileHeads, readKeyFile, type Head } from "./audit-seal.js";

/** What `vault audit --verify` found, beyond "intact". */
export interface AuditCheck {
  records: AuditRecord[];
  log: string;
  /** The line of the first keyed record: lines before it were written before the chain was keyed. */
  keyedFrom: number | undefined;
  /** Where the head that vouches for the end of the log is kept. */
  headIn: "keychain" | "file" | undefined;
  headFile: string;
  /** False when no keychain answered: only the file head was there to check against. */
  keychain: boolean;
  /** The newest records the keychain's head does not cover yet (written where no keychain answered). */
  unanchored: number;
}

/** The records, oldest first; with `verify`, a broken chain or head is an error naming the line. */
export async function readAudit(environ: NodeJS.ProcessEnv, verify: boolean): Promise<AuditRecord[]> {
  if (verify) return (await verifyAudit(environ)).records;
  return readLines(auditFile(environ)).flatMap((text) => parseLine(text)?.record ?? []);
}

/**
 * Walks the whole chain with the key, then checks every head against it. The heads are
 * read before the log: an append writes its line before its heads, so a head read first
 * never names a line that is not there yet.
 */
export async function verifyAudit(environ: NodeJS.ProcessEnv): Promise<AuditCheck> {
  await loadSodium();
  const log = auditFile(environ);
  const kc = await openKeychainSeal();
  // The file's key first: it is the one appends chain with (see ensureKey).
  const key = readKeyFile(environ) ?? kc?.key;
  const keychainHead = kc?.heads[log];
  const fileHead = readFileHeads(environ)[log];
  const lines = readLines(log);

  const records: AuditRecord[] = [];
  const hashes: string[] = [];
  let keyedFrom: number | undefined;
  let prev = GENESIS;
  lines.forEach((text, i) => {
    const line = parseLine(text);
    if (!line) throw tampered(i + 1);
    if (line.n !== undefined) {
      keyedFrom ??= i + 1;
      if (!key) throw noKey(i + 1, auditKeyFile(environ));
    } else if (keyedFrom !== undefined) {
      // An unkeyed record after keyed ones: someone wrote it without the key.
      throw tampered(i + 1);
    }
    if (!chainsOn(line, i + 1, prev, key)) throw tampered(i + 1);
    prev = line.hash;
    hashes.push(line.hash);
    records.push(line.record);
  });

  const checks: [Head | undefined, string][] = [
    [keychainHead, "the OS keychain"],
    [fileHead, auditHeadFile(environ)],
  ];
  for (const [head, where] of checks) {
    if (!head || head.count === 0) continue;
    if (head.count > lines.length) throw cut(lines.length, head.count, where);
    if (!sameAuditHash(hashes[head.count - 1], head.hash)) throw rewritten(head.count, where);
  }
  if (keyedFrom !== undefined && !keychainHead && !fileHead) throw noHead(auditHeadFile(environ));

  return {
    records,
    log,
    keyedFrom,
    headIn: keychainHead ? "keychain" : fileHead ? "file" : undefined,
    headFile: auditHeadFile(environ),
    keychain: kc !== undefined,
    unanchored: kc && keyedFrom !== undefined ? lines.length - (keychainHead?.count ?? 0) : 0,
  };
}

const KEEP = "keep a copy of the log elsewhere if you need it as evidence";

function tampered(line: number): IntegrityError {
  return new IntegrityError(
    "tampered",
    `the audit log was changed at line ${line}: a record was edited, inserted or removed`,
    `${KEEP}; new records continue the chain`,
  );
}

function cut(count: number, named: number, where: string): IntegrityError {
  return new IntegrityError(
    "tampered",
    `the audit log ends at record ${count}, but its head in ${where} names record ${named}: records were removed from the end`,
    `${KEEP}; if you trimmed it yourself, \`vault audit --accept\` makes the log as it is now its head`,
  );
}

function rewritten(named: number, where: string): IntegrityError {
  return new IntegrityError(
    "tampered",
    `record ${named} of the audit log is not the one its head in ${where} names: the log was rewritten`,
    `${KEEP}; \`vault audit --accept\` then makes the log as it is now its head`,
  );
}

function noKey(line: number, keyFile: string): IntegrityError {
  return new IntegrityError(
    "tampered",
    `the audit log is keyed from line ${line}, but no audit key was found (OS keychain, ${keyFile})`,
    `restore ${keyFile} from a backup; or move the log away to start a new one`,
  );
}

function noHead(headFile: string): IntegrityError {
  return new IntegrityError(
    "tampered",
    `the audit log has no head (OS keychain, ${headFile}): records may have been removed from its end`,
    `${KEEP}; \`vault audit --accept\` makes the log as it is now its head`,
  );
}
