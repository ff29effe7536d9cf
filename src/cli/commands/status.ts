import { chosenEnv, openVault, rotationReport } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { sessionOf } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { note, print } from "../output.js";
import { allowsUnchecked, failClosed, reportUnchecked } from "../unchecked.js";

type StatusOptions = OptionsOf<"status">;

/** Rotation hygiene: overdue and never-rotated secrets, per environment, oldest first. */
export async function statusCommand(opts: StatusOptions): Promise<void> {
  const s = sessionOf({ ...opts, yes: true });
  const v = await openVault(s);
  const envs = opts.env || process.env.VAULT_ENV ? [chosenEnv(s, v.doc)] : Object.keys(v.doc.environments).sort();
  const { findings, unchecked } = await rotationReport(s, v, envs);
  reportUnchecked(unchecked);
  if (findings.length) print(findings.map((f) => `${f.env}  ${f.name}  ${f.detail}`).join("\n"));
  else note(`nothing overdue, nothing never rotated${unchecked.length ? " in the environments checked" : ""}`);
  const overdue = findings.filter((f) => f.state === "overdue").length;
  if (opts.check && overdue) {
    throw new VaultError("overdue", `${overdue} secret(s) overdue for rotation`, "change them at their source, then `vault set NAME` the new value");
  }
  // A gate (--check) that could not see an environment must not pass; a plain look just says so.
  if (opts.check) failClosed("vault status --check", unchecked, allowsUnchecked(opts.allowUnchecked));
}
