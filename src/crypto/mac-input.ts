import { byCodePoint, FORMAT_VERSION, type Environment, type KeySlot } from "../format/index.js";

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
 * `len(p) || p` for each part, len a 4-byte big-endian byte count. Written in one pass into
 * room for the longest UTF-8 each part could need (at 10,000 secrets, measuring every part
 * first cost as much as writing it), then cut to what was written.
 */
export function lengthPrefixed(parts: string[]): Uint8Array {
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
