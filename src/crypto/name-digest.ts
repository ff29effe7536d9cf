import { byCodePoint } from "../format/index.js";
import { lengthPrefixed } from "./mac-input.js";

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
 * Node's Web Crypto rather than libsodium or node:crypto: libsodium would copy every name
 * into WebAssembly (about 10 ms at 10,000 names) and make `vault audit` load it; node:crypto
 * is a module load (about 3 ms) for every command whose chunk imports it, while the Web
 * Crypto global is loaded already (libsodium-wrappers draws its random bytes from it; if
 * that changes, the first digest pays about what node:crypto would).
 */
export async function nameSet(names: Iterable<string>): Promise<NameSet> {
  const sorted = [...new Set(names)].sort(byCodePoint);
  const bytes = lengthPrefixed([DOMAIN, String(sorted.length), ...sorted]);
  const hash = Buffer.from(await globalThis.crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
  return { count: sorted.length, digest: `sha256:${hash.toString("hex")}` };
}

export const isNameDigest = (text: unknown): text is string => typeof text === "string" && DIGEST.test(text);
