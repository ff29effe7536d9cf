import { removeSecrets } from "../../vault.js";
import type { CommonOptions } from "../context.js";
import { note } from "../output.js";
import { audited } from "../audited.js";
import { openUnlocked } from "../unlock.js";
import { settleIfConflicted } from "../merge-conflicts.js";

export async function rmCommand(names: string[], opts: CommonOptions): Promise<void> {
  const u = await openUnlocked(opts);
  await removeSecrets(u.v, u.envName, u.keys, names);
  settleIfConflicted(u.v.file, u.envName, names);
  await audited("rm", u.v, u.envName, { names });
  note(`removed ${names.join(", ")} from ${u.envName}`);
}
