import { recordAudit, type AuditTouched, type OpenVault } from "../vault.js";
import { note } from "./output.js";

/**
 * Appends to the local audit trail for a command that revealed or changed secrets: the
 * `names` it touched, or `all` for one that read or re-sealed the whole environment (the
 * record keeps a count and a digest, so it does not grow with the vault). A log that
 * cannot be written (read-only HOME) is reported, not fatal: the command already did
 * what was asked.
 */
export async function audited(command: string, v: OpenVault, env: string, touched: AuditTouched): Promise<void> {
  try {
    await recordAudit(process.env, { command, vault: v.file, env, ...touched });
  } catch (err) {
    note(`warning: could not write the audit log (${err instanceof Error ? err.message : String(err)})`);
  }
}
