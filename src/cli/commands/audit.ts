import { acceptAudit, auditFile, namesAsNow, readAudit, verifyAudit, type AuditCheck, type AuditRecord } from "../../vault.js";
import type { OptionsOf } from "../grammar.js";
import { note, print } from "../output.js";

export async function auditCommand(opts: OptionsOf<"audit">): Promise<void> {
  if (opts.accept) {
    const { count, inKeychain } = await acceptAudit(process.env);
    const where = inKeychain ? "in the OS keychain and its head file" : "in its head file (no OS keychain answered)";
    note(`the audit log's head now names its ${count} record(s), ${where}; \`vault audit --verify\` checks from here`);
    return;
  }
  if (opts.verify) {
    // The verdict only: `vault audit` shows the records.
    const check = await verifyAudit(process.env);
    if (opts.json) print(JSON.stringify({ intact: true, records: check.records.length, log: check.log, headIn: check.headIn ?? null }));
    else for (const n of verifiedNotes(check)) print(n);
    return;
  }
  const records = await readAudit(process.env, false);
  if (opts.json) print(JSON.stringify(records));
  else if (records.length) print((await lines(records)).join("\n"));
  else note(`no records yet in ${auditFile(process.env)}`);
}

async function lines(records: AuditRecord[]): Promise<string[]> {
  const asNow = await namesAsNow(records);
  return records.map((r, i) => `${r.time}  ${r.user}  ${r.command}  ${r.env}  ${touched(r, asNow[i])}  ${r.vault}`);
}

/**
 * The names, or for a whole environment its count and the digest's first 12 hex digits:
 * equal digests, equal sets of names. "as now": the vault holds those names today.
 */
function touched(r: AuditRecord, asNow: boolean | undefined): string {
  if ("names" in r) return r.names.join(",") || "-";
  const count = String(r.count).replace(/\B(?=(\d{3})+$)/g, ",");
  const secrets = `${count} secret${r.count === 1 ? "" : "s"}, names ${r.digest.replace(/^sha256:/, "").slice(0, 12)}`;
  return asNow === undefined ? secrets : `${secrets} (${asNow ? "as now" : "changed since"})`;
}

/** What an intact log is vouched for by, so a user knows what "intact" can mean here. */
function verifiedNotes(c: AuditCheck): string[] {
  const notes = [`the audit log is intact: ${c.records.length} record(s) in ${c.log}`];
  if (c.keyedFrom === undefined && c.records.length) {
    notes.push(`its records predate the keyed chain (anyone could have rewritten them); the next record seals them as they are`);
  } else if (c.keyedFrom !== undefined && c.keyedFrom > 1) {
    notes.push(`records before line ${c.keyedFrom} predate the keyed chain: line ${c.keyedFrom} sealed them as they were then`);
  }
  if (c.headIn === "keychain") notes.push("its head is kept in the OS keychain, out of reach of anyone who can only write your files");
  else if (c.headIn === "file") {
    notes.push(
      `its key and head are kept in files${c.keychain ? "" : " (no OS keychain answered)"}: someone who can write your files could rewrite the log with them`,
    );
  }
  if (c.unanchored) notes.push(`the newest ${c.unanchored} record(s) were written where the OS keychain did not answer: only ${c.headFile} vouches for them`);
  return notes;
}
