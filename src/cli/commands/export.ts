import { readAllSecrets } from "../../vault.js";
import type { OptionsOf } from "../grammar.js";
import { formatSecrets } from "../export-formats.js";
import { audited } from "../audited.js";
import { openUnlocked } from "../unlock.js";

type ExportOptions = OptionsOf<"export">;

export async function exportCommand(opts: ExportOptions): Promise<void> {
  const { format } = opts;
  const u = await openUnlocked(opts);
  // Build the whole text first: a value dotenv cannot hold fails before anything is printed.
  const secrets = readAllSecrets(u.v.doc, u.envName, u.keys, process.env);
  const text = formatSecrets(secrets, format);
  await audited(`export --format ${format}`, u.v, u.envName, Object.keys(secrets));
  process.stdout.write(text);
}
