import { auditFile, readAudit } from "../../vault.js";
import { note, print } from "../output.js";

export async function auditCommand(opts: { verify?: boolean; json?: boolean }): Promise<void> {
  const records = await readAudit(process.env, Boolean(opts.verify));
  if (opts.json) print(JSON.stringify(records));
  else if (records.length) print(records.map((r) => `${r.time}  ${r.user}  ${r.command}  ${r.env}  ${r.names.join(",") || "-"}  ${r.vault}`).join("\n"));
  if (opts.verify) note(`the audit log is intact: ${records.length} record(s) in ${auditFile(process.env)}`);
  else if (!records.length) note(`no records yet in ${auditFile(process.env)}`);
}
