import { byCodePoint } from "../format/index.js";
import { lengthPrefixed } from "./mac-input.js";
import { loadedSodium } from "./sodium.js";

/** A set of secret names as an audit record keeps it: how many, and a digest of which. */
export interface NameSet {
  count: number;
  digest: string;
}

const DOMAIN = "sealenv-names-v1";
const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * `sha256:` and the hex SHA-256 of the length-prefixed parts (see lengthPrefixed)
 * "sealenv-names-v1", the count in decimal, then each distinct name in code-point order.
 * Sorted, so it names the set whatever order a command held it in; counted and
 * length-prefixed, so no two different sets share an encoding. Unkeyed on purpose: the
 * names are in the vault file for anyone to read, and whoever holds a list of names can
 * check it against a record.
 *
 * SHA-256 through libsodium where it is loaded already (`vault run` has opened a key), else
 * through node:crypto, imported then: `vault audit` compares records without loading
 * libsodium, and `vault run` does not pay for a module load (about 5 ms) on every start.
 */
export async function nameSet(names: Iterable<string>): Promise<NameSet> {
  const sorted = [...new Set(names)].sort(byCodePoint);
  const bytes = lengthPrefixed([DOMAIN, String(sorted.length), ...sorted]);
  const lib = loadedSodium();
  const hash = Buffer.from(lib ? lib.crypto_hash_sha256(bytes) : (await import("node:crypto")).createHash("sha256").update(bytes).digest());
  return { count: sorted.length, digest: `sha256:${hash.toString("hex")}` };
}

export const isNameDigest = (text: unknown): text is string => typeof text === "string" && DIGEST.test(text);
