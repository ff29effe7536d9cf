import { byCodePoint } from "./serialize.js";
import type { Environment } from "./types.js";

/**
 * The bytes an environment's MAC covers: vault id, environment name, key id and every
 * (name, sealed value) pair in name order, each length-prefixed so no two different
 * contents share an encoding. Slots are not covered: each slot is itself authenticated
 * and must open to a key whose id matches keyId.
 */
export function canonicalEnvironment(vaultId: string, envName: string, env: Pick<Environment, "keyId" | "secrets">): Uint8Array {
  const parts = ["sealenv-env-v1", vaultId, envName, env.keyId];
  for (const name of Object.keys(env.secrets).sort(byCodePoint)) parts.push(name, env.secrets[name] as string);
  const chunks = parts.map((p) => Buffer.from(p, "utf8"));
  const out = Buffer.alloc(chunks.reduce((n, c) => n + 4 + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.writeUInt32BE(c.length, at);
    c.copy(out, at + 4);
    at += 4 + c.length;
  }
  return out;
}
