import { openValue, type EnvKeys } from "../crypto/index.js";
import type { VaultDoc } from "../format/index.js";
import { describeAge, parseDuration } from "./durations.js";
import { environmentOf } from "./session.js";

export interface RotationFinding {
  env: string;
  name: string;
  state: "overdue" | "never rotated";
  /** When the value last changed. */
  updated: string;
  detail: string;
}

/**
 * What needs rotating in one environment: values older than their policy (overdue), and
 * values never changed since they were first set. Oldest first.
 */
export function rotationFindings(doc: VaultDoc, envName: string, keys: EnvKeys, now = Date.now()): RotationFinding[] {
  const out: (RotationFinding & { at: number })[] = [];
  for (const [name, sealed] of Object.entries(environmentOf(doc, envName).secrets)) {
    const meta = openValue(keys, { vaultId: doc.id, env: envName, name }, sealed);
    const at = Date.parse(meta.updated);
    const age = now - at;
    const day = meta.updated.slice(0, 10);
    if (meta.rotateEvery && age > parseDuration(meta.rotateEvery)) {
      const late = describeAge(age - parseDuration(meta.rotateEvery));
      out.push({ env: envName, name, state: "overdue", updated: meta.updated, detail: `overdue by ${late} (every ${meta.rotateEvery}, last changed ${day})`, at });
    } else if (meta.created === undefined || meta.created === meta.updated) {
      const policy = meta.rotateEvery ? `, rotate every ${meta.rotateEvery}` : ", no rotation policy";
      out.push({ env: envName, name, state: "never rotated", updated: meta.updated, detail: `never rotated (set ${day}, ${describeAge(age)} ago${policy})`, at });
    }
  }
  return out.sort((a, b) => a.at - b.at).map(({ at: _at, ...f }) => f);
}
