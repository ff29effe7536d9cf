import { statSync } from "node:fs";
import { nameSet } from "../crypto/name-digest.js";
import { isVaultError } from "../errors.js";
import { ownEntry, type VaultDoc } from "../format/index.js";
import type { AuditRecord } from "./audit-record.js";
import { readDoc } from "./session.js";

/**
 * For each record of a whole environment, whether that environment in the vault file the
 * record names holds, now, exactly the names the record counted: then `vault ls` there
 * tells whether a name was among them. Undefined where it cannot say: a named record (its
 * names are in it), or a vault file or environment that is gone or no longer reads.
 *
 * Each vault file is read once, and only if it is a regular file. No key is opened and no
 * MAC checked: names are what the file shows anyone, and the answer is about the file as
 * it is now, whoever wrote it. A set that differs says only that the names changed since.
 */
export async function namesAsNow(records: readonly AuditRecord[]): Promise<(boolean | undefined)[]> {
  const docs = new Map<string, VaultDoc | undefined>();
  const digests = new Map<string, string | undefined>();
  const out: (boolean | undefined)[] = [];
  for (const r of records) {
    if ("names" in r) {
      out.push(undefined);
      continue;
    }
    const at = JSON.stringify([r.vault, r.env]);
    if (!digests.has(at)) {
      if (!docs.has(r.vault)) docs.set(r.vault, readIfVault(r.vault));
      const names = ownEntry(docs.get(r.vault)?.environments ?? {}, r.env)?.secrets;
      digests.set(at, names && (await nameSet(Object.keys(names))).digest);
    }
    const now = digests.get(at);
    out.push(now === undefined ? undefined : now === r.digest);
  }
  return out;
}

/** A vault of 100,000 secrets is about 35 MB. */
const MAX_VAULT_BYTES = 64 * 1024 * 1024;

function readIfVault(file: string): VaultDoc | undefined {
  try {
    // Not a FIFO or a device, nor a file no vault would be: a planted path must not hang
    // `vault audit` or fill its memory.
    const stat = statSync(file);
    return stat.isFile() && stat.size <= MAX_VAULT_BYTES ? readDoc(file) : undefined;
  } catch (err) {
    if (isVaultError(err) || (err as NodeJS.ErrnoException).code !== undefined) return undefined;
    throw err;
  }
}
