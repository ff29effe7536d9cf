import path from "node:path";
import { readAllSecrets } from "../../vault.js";
import { VaultError } from "../../errors.js";
import type { OptionsOf } from "../grammar.js";
import { formatSecrets, manifestPlace } from "../export-formats.js";
import { audited } from "../audited.js";
import { printAll } from "../output.js";
import { openUnlocked } from "../unlock.js";

type ExportOptions = OptionsOf<"export">;

export async function exportCommand(opts: ExportOptions): Promise<void> {
  const { format } = opts;
  if (format !== "k8s" && (opts.name !== undefined || opts.namespace !== undefined)) {
    throw new VaultError("usage", `--name and --namespace name a Kubernetes Secret; --format ${format} has neither`, "add --format k8s, or leave them out");
  }
  const u = await openUnlocked(opts);
  // Build the whole text first: a value the format cannot hold fails before anything is printed.
  const secrets = readAllSecrets(u.v.doc, u.envName, u.keys, process.env);
  const place = format === "k8s" ? manifestPlace(path.basename(path.dirname(u.v.file)), u.envName, opts) : undefined;
  const text = formatSecrets(secrets, format, place);
  await audited(`export --format ${format}`, u.v, u.envName, { all: Object.keys(secrets) });
  await printAll(text);
}
