import { deriveKeys, parseKeyString } from "../crypto/index.js";
import { isVaultError } from "../errors.js";
import { fitOf } from "./fit.js";
import { keychainAccount, keychainGet } from "./keychain.js";
import type { Attempt, FoundKey, KeyContext, KeySource } from "./types.js";

const SOURCE = "the OS keychain";

/**
 * The data key cached in the OS keychain, under (vault id, environment). Found: the entry
 * holds the current key. Not here: no keychain, no entry, or an entry that is stale,
 * foreign or not a key string: a member slot or a passphrase may still open it. Never
 * fails: nothing in the keychain is a variable the user set for this run.
 */
export const keychainSource: KeySource = keychainSourceFrom(keychainGet);

/** The keychain source over a given reader of entries: the OS keychain's, or a test's store. */
export function keychainSourceFrom(read: (account: string) => Promise<string | undefined>): KeySource {
  return { find: (ctx, attempts) => findIn(read, ctx, attempts) };
}

async function findIn(read: (account: string) => Promise<string | undefined>, ctx: KeyContext, attempts: Attempt[]): Promise<FoundKey | undefined> {
  let text: string | undefined;
  try {
    text = await read(keychainAccount(ctx.vaultId, ctx.envName));
  } catch (err) {
    if (!isVaultError(err)) throw err;
    attempts.push({ source: SOURCE, outcome: err.message, unavailable: err.code === "keychain_unavailable" });
    return undefined;
  }
  if (text === undefined) {
    attempts.push({ source: SOURCE, outcome: "no key stored for this vault and environment" });
    return undefined;
  }
  let keyId: string;
  let dataKey: Uint8Array;
  try {
    ({ keyId, dataKey } = parseKeyString(text, SOURCE));
  } catch {
    attempts.push({ source: SOURCE, outcome: "the stored entry is not a sealenv key" });
    return undefined;
  }
  const fit = fitOf(ctx, keyId);
  if (fit === "current") return { keys: deriveKeys(dataKey), source: SOURCE };
  attempts.push(
    fit === "stale"
      ? { source: SOURCE, outcome: "holds an old key, from before the last rotation", stale: true }
      : { source: SOURCE, outcome: "holds a key that does not belong to this environment" },
  );
  return undefined;
}
