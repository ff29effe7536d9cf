import { openValue, type EnvKeys } from "../crypto/index.js";
import type { VaultDoc } from "../format/index.js";
import { describeAge, parseDuration } from "./durations.js";
import { tryOpenEnvironment } from "./open.js";
import { environmentOf, type OpenVault, type Session } from "./session.js";

interface RotationFinding {
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
function rotationFindings(doc: VaultDoc, envName: string, keys: EnvKeys, now = Date.now()): RotationFinding[] {
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

/** What needs rotating across environments, and those this machine could not look at. */
export interface RotationReport {
  findings: RotationFinding[];
  /** Environments with no key here: not checked, so not known to be fine. */
  unchecked: { env: string; why: string }[];
}

/** Rotation findings for each environment a key here opens; one that fails verification is refused. */
export async function rotationReport(s: Session, v: OpenVault, envNames: string[]): Promise<RotationReport> {
  const report: RotationReport = { findings: [], unchecked: [] };
  for (const envName of envNames) {
    const attempt = await tryOpenEnvironment(s, v, envName);
    if ("missing" in attempt) {
      report.unchecked.push({ env: envName, why: "no key for it here" });
      continue;
    }
    if ("failed" in attempt) throw attempt.failed;
    report.findings.push(...rotationFindings(v.doc, envName, attempt.opened.keys));
  }
  return report;
}
