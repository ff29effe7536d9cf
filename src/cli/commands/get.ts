import { checkSecretName, readSecret } from "../../vault.js";

import type { CommonOptions } from "../context.js";
import { openUnlocked } from "../unlock.js";

export async function getCommand(name: string, opts: CommonOptions): Promise<void> {
  checkSecretName(name);
  const u = await openUnlocked(opts);
  process.stdout.write(`${readSecret(u.v.doc, u.envName, u.keys, name)}\n`);
}
