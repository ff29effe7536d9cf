import { recordAudit, type OpenVault } from "../vault.js";
import { note } from "./output.js";

/**
 * Appends to the local audit trail for a command that revealed or changed secrets. A log
 * that cannot be written (read-only HOME) is reported, not fatal: the command already did
 * what was asked.
 */
export async function audited(command: string, v: OpenVault, env: string, names: string[]): Promise<void> {
  try {
    await recordAudit(process.env, { command, vault: v.file, env, names });
  } catch (err) {
    note(`warning: could not write the audit log (${err instanceof Error ? err.message : String(err)})`);
  }
}
