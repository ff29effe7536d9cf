import { byCodePoint, FORMAT_VERSION, replaceEachOnce, type Environment, type KeySlot } from "../format/index.js";

/** Where an environment sits in its vault: part of what its MAC covers. */
export interface EnvironmentPlace {
  vaultId: string;
  envName: string;
  /** Whether the vault's `default` names it: flipping the default must break two MACs. */
  isDefault: boolean;
}

/**
 * The bytes an environment's MAC covers: everything that decides who can open it and what
 * a program receives. Each part is length-prefixed and every list is preceded by its
 * count, so no two different environments share an encoding. Whatever is left out here,
 * someone without the key could change: a new field in the format must be added here.
 */
export function macInput(place: EnvironmentPlace, env: Omit<Environment, "mac">): Uint8Array {
  const parts: string[] = [
    "sealenv-env-v2",
    String(FORMAT_VERSION),
    place.vaultId,
    place.envName,
    place.isDefault ? "default" : "not-default",
    String(env.generation),
    env.keyId,
    env.signer,
    "retired",
    String(env.retiredKeyIds.length),
    ...env.retiredKeyIds,
    "links",
    String(env.keyLinks.length),
  ];
  for (const link of env.keyLinks) parts.push(link.from, link.to, String(link.generation), link.signer, link.sig);
  parts.push("slots", String(env.slots.length));
  for (const slot of env.slots) parts.push(...slotFields(slot));
  const names = Object.keys(env.secrets).sort(byCodePoint);
  parts.push("secrets", String(names.length));
  for (const name of names) parts.push(name, env.secrets[name] as string);
  return lengthPrefixed(parts);
}

function slotFields(slot: KeySlot): string[] {
  if (slot.type === "recipient") return [slot.type, slot.member, slot.kind, slot.pk, slot.box];
  return [slot.type, slot.kdf, String(slot.ops), String(slot.mem), slot.salt, slot.nonce, slot.box];
}

/**
 * `len(p) || p` for each part, len a 4-byte big-endian byte count. Nearly every part is
 * ASCII (names, base64url, numbers), whose UTF-8 is its Latin-1: those are put together
 * as one string and encoded once (a write per part was most of the MAC at 10,000
 * secrets). Any other part sends the whole list the long way.
 */
export function lengthPrefixed(parts: string[]): Uint8Array {
  let text = "";
  for (const p of parts) {
    // One byte per character exactly when every character is below U+0080.
    if (Buffer.byteLength(p, "utf8") !== p.length) return writeEach(parts);
    text += prefixOf(p.length) + p;
  }
  return Buffer.from(text, "latin1");
}

/** Written in one pass into room for the longest UTF-8 each part could need, then cut to what was written. */
function writeEach(parts: string[]): Uint8Array {
  let room = 0;
  for (const p of parts) room += 4 + 3 * p.length;
  const out = Buffer.allocUnsafe(room);
  let at = 0;
  for (const p of parts) {
    const n = out.write(p, at + 4, "utf8");
    out.writeUInt32BE(n, at);
    at += 4 + n;
  }
  return out.subarray(0, at);
}

/** A count as four Latin-1 characters, one per big-endian byte; a vault has few distinct lengths. */
const prefixes = new Map<number, string>();
function prefixOf(n: number): string {
  let prefix = prefixes.get(n);
  if (prefix === undefined) {
    prefix = String.fromCharCode(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
    prefixes.set(n, prefix);
  }
  return prefix;
}

/**
 * The input of an environment that differs from the one `input` was made from only in
 * some values replaced (a `vault set` of existing names), without building it again from
 * 10,000 parts: each `len || before` is swapped for `len || after`. Values are sealed
 * with random nonces, so each occurs once; where one does not, undefined, and the caller
 * builds the input in full.
 */
export function replacedInput(input: Uint8Array, replacements: readonly (readonly [before: string, after: string])[]): Uint8Array | undefined {
  return replaceEachOnce(
    Buffer.from(input.buffer, input.byteOffset, input.byteLength),
    replacements.map(([before, after]) => [lengthPrefixed([before]), lengthPrefixed([after])]),
  );
}
