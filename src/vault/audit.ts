import { userInfo } from "node:os";
import path from "node:path";
import { loadSodium, na, toB64 } from "../crypto/sodium.js";
import { IntegrityError } from "../errors.js";
import { appendLine, configDir, readLines } from "../store/index.js";

/** One record: who did what to which secrets. Never a value. */
export interface AuditRecord {
  time: string;
  user: string;
  command: string;
  vault: string;
  env: string;
  names: string[];
}

interface Chained extends AuditRecord {
  prev: string;
  hash: string;
}

export const auditFile = (environ: NodeJS.ProcessEnv) => path.join(environ.VAULT_AUDIT_LOG || path.join(configDir(environ), "audit.log"));

const GENESIS = "sealenv-audit-v1";

/** Each record's hash covers the one before it, so editing or deleting a line breaks every later one. */
function hashOf(prev: string, record: AuditRecord): string {
  const canonical = JSON.stringify([prev, record.time, record.user, record.command, record.vault, record.env, record.names]);
  return toB64(na().crypto_generichash(32, canonical, null));
}

/** The login name; the OS is asked only when the environment does not say (it costs a lookup). */
function currentUser(environ: NodeJS.ProcessEnv): string {
  if (environ.USER || environ.USERNAME) return (environ.USER || environ.USERNAME) as string;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

export async function recordAudit(environ: NodeJS.ProcessEnv, entry: Omit<AuditRecord, "time" | "user">): Promise<void> {
  await loadSodium();
  const record: AuditRecord = { time: new Date().toISOString(), user: currentUser(environ), ...entry };
  await appendLine(auditFile(environ), (last) => {
    const prev = last ? ((JSON.parse(last) as Chained).hash ?? GENESIS) : GENESIS;
    return JSON.stringify({ ...record, prev, hash: hashOf(prev, record) } satisfies Chained);
  });
}

/** The records, oldest first; with `verify`, a broken chain is an error naming the line. */
export async function readAudit(environ: NodeJS.ProcessEnv, verify: boolean): Promise<AuditRecord[]> {
  await loadSodium();
  const lines = readLines(auditFile(environ));
  const out: AuditRecord[] = [];
  let prev = GENESIS;
  lines.forEach((line, i) => {
    let chained: Chained;
    try {
      chained = JSON.parse(line) as Chained;
    } catch {
      if (verify) throw tampered(i + 1);
      return;
    }
    if (verify && (chained.prev !== prev || chained.hash !== hashOf(prev, chained))) throw tampered(i + 1);
    prev = chained.hash;
    const { prev: _p, hash: _h, ...record } = chained;
    out.push(record);
  });
  return out;
}

function tampered(line: number): IntegrityError {
  return new IntegrityError(
    "tampered",
    `the audit log was changed at line ${line}: a record was edited, inserted or removed`,
    "keep a copy of the log elsewhere if you need it as evidence; new records continue the chain",
  );
}
