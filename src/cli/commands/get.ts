import { readSecret } from "../../vault.js";
import { checkSecretName } from "../../names.js";
import { printExactly } from "../output.js";
import type { CommonOptions } from "../context.js";
import { audited } from "../audited.js";
import { openUnlocked } from "../unlock.js";

export async function getCommand(name: string, opts: CommonOptions): Promise<void> {
  checkSecretName(name);
  const u = await openUnlocked(opts);
  const value = readSecret(u.v.doc, u.envName, u.keys, name, process.env);
  await audited("get", u.v, u.envName, { names: [name] });
  printExactly(`${value}\n`);
}
