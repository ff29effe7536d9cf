import { unresolvedNames, type StoredSecret } from "../vault.js";
import { note } from "./output.js";

/**
 * After a write: a template using a name found nowhere (no secret, no variable here, no
 * default) will fail when read, so say so now. `secrets` is the environment as written.
 */
export function warnUnresolved(secrets: Record<string, StoredSecret>, written: string[]): void {
  for (const { template, missing } of unresolvedNames(secrets, process.env, written)) {
    note(`warning: the template ${template} uses \${${missing}}, which is neither a secret here nor set in the environment; reading ${template} fails until it is (or give a default: \${${missing}:-value})`);
  }
}
