import { environmentMac, loadSodium, openValue, verifyEnvironmentMac, type EnvKeys } from "../crypto/index.js";
import { isVaultError } from "../errors.js";
import { byCodePoint, type Environment, type KeySlot, type VaultDoc } from "../format/index.js";

export interface MergeConflict {
  env: string;
  /** The secret both sides changed; absent for a conflict about the whole environment. */
  name?: string;
  reason: string;
}

export interface MergeOutcome {
  /** Always a readable, verifiable vault: ours wherever the sides could not be merged. */
  doc: VaultDoc;
  conflicts: MergeConflict[];
}

/** Finds an environment's key for the merge; undefined when this machine has none. */
export type KeyFinder = (envName: string, env: Environment) => Promise<EnvKeys | undefined>;

/**
 * Three-way merge of vault files, per environment and per secret, the way git merges
 * lines: a side that did not change something yields to the side that did. Untouched
 * values keep their ciphertext. Keys are needed only where both sides changed the same
 * environment (to recompute its MAC) or seemingly the same secret (to compare values).
 */
export async function mergeVaults(base: VaultDoc | undefined, ours: VaultDoc, theirs: VaultDoc, keyFor: KeyFinder): Promise<MergeOutcome> {
  await loadSodium();
  const conflicts: MergeConflict[] = [];
  if (ours.id !== theirs.id) {
    return { doc: ours, conflicts: [{ env: "*", reason: "the two sides are different vaults (different vault ids)" }] };
  }
  const doc: VaultDoc = { ...ours, environments: {} };
  const names = new Set([...Object.keys(ours.environments), ...Object.keys(theirs.environments)]);
  for (const envName of [...names].sort(byCodePoint)) {
    const merged = await mergeEnvironment(envName, base?.environments[envName], ours.environments[envName], theirs.environments[envName], ours.id, keyFor, conflicts);
    if (merged) doc.environments[envName] = merged;
  }
  doc.defaultEnv = pick(base?.defaultEnv, ours.defaultEnv, theirs.defaultEnv) ?? ours.defaultEnv;
  if (!doc.environments[doc.defaultEnv]) doc.defaultEnv = ours.defaultEnv in doc.environments ? ours.defaultEnv : Object.keys(doc.environments)[0] ?? ours.defaultEnv;
  return { doc, conflicts };
}

/** The usual three-way rule for one value; undefined result with `conflict` when both changed it differently. */
function pick<T>(base: T | undefined, a: T | undefined, b: T | undefined, same: (x: T | undefined, y: T | undefined) => boolean = (x, y) => x === y): T | undefined {
  if (same(a, b)) return a;
  if (same(a, base)) return b;
  if (same(b, base)) return a;
  return a;
}

const sameEnv = (x: Environment | undefined, y: Environment | undefined) => JSON.stringify(x) === JSON.stringify(y);

async function mergeEnvironment(
  envName: string,
  o: Environment | undefined,
  a: Environment | undefined,
  b: Environment | undefined,
  vaultId: string,
  keyFor: KeyFinder,
  conflicts: MergeConflict[],
): Promise<Environment | undefined> {
  if (sameEnv(a, b)) return a;
  if (sameEnv(a, o)) return b;
  if (sameEnv(b, o)) return a;
  if (!a || !b) {
    conflicts.push({ env: envName, reason: `removed on one side and changed on the other (kept it; \`vault env rm ${envName}\` removes it)` });
    return a ?? b;
  }
  if (a.keyId !== b.keyId) {
    conflicts.push({ env: envName, reason: "rotated on one side and changed on the other: kept our side; re-apply their changes with `vault set`" });
    return a;
  }

  let keys: EnvKeys | undefined;
  let keyLooked = false;
  const key = async () => {
    if (!keyLooked) {
      keyLooked = true;
      keys = await keyFor(envName, a);
    }
    return keys;
  };

  const secrets: Record<string, string> = {};
  const names = new Set([...Object.keys(a.secrets), ...Object.keys(b.secrets)]);
  const secretConflicts: MergeConflict[] = [];
  for (const name of [...names].sort(byCodePoint)) {
    const [sa, sb, so] = [a.secrets[name], b.secrets[name], o?.secrets[name]];
    let chosen: string | undefined;
    if (sa === sb || sb === so) chosen = sa;
    else if (sa === so) chosen = sb;
    else {
      const k = await key();
      const place = { vaultId, env: envName, name };
      if (k && sa !== undefined && sb !== undefined && openValue(k, place, sa).value === openValue(k, place, sb).value) chosen = sa;
      else {
        chosen = sa;
        secretConflicts.push({ env: envName, name, reason: describe(sa, sb) });
      }
    }
    if (chosen !== undefined) secrets[name] = chosen;
  }

  const merged: Environment = {
    keyId: a.keyId,
    retiredKeyIds: [...new Set([...a.retiredKeyIds, ...b.retiredKeyIds])],
    keyLinks: unionBy([...a.keyLinks, ...b.keyLinks], (l) => `${l.from}>${l.to}`),
    slots: mergeSlots(o?.slots ?? [], a.slots, b.slots),
    secrets,
    mac: a.mac,
  };
  if (sameSecrets(secrets, a.secrets)) merged.mac = a.mac;
  else if (sameSecrets(secrets, b.secrets)) merged.mac = b.mac;
  else {
    const k = await key();
    if (!k) {
      conflicts.push({ env: envName, reason: "both sides changed it and this machine has no key for it, so it cannot be merged here: kept our side" });
      return a;
    }
    try {
      verifyEnvironmentMac(k, vaultId, envName, a);
      verifyEnvironmentMac(k, vaultId, envName, b);
    } catch (err) {
      if (!isVaultError(err)) throw err;
      conflicts.push({ env: envName, reason: "one side fails its integrity check (modified outside sealenv): kept our side" });
      return a;
    }
    merged.mac = environmentMac(k, vaultId, envName, merged);
  }
  conflicts.push(...secretConflicts);
  return merged;
}

function describe(ours: string | undefined, theirs: string | undefined): string {
  if (ours === undefined) return "we removed it, they changed it";
  if (theirs === undefined) return "we changed it, they removed it";
  return "both sides changed it";
}

function sameSecrets(x: Record<string, string>, y: Record<string, string>): boolean {
  const kx = Object.keys(x);
  return kx.length === Object.keys(y).length && kx.every((k) => x[k] === y[k]);
}

function unionBy<T>(items: T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => !seen.has(key(t)) && (seen.add(key(t)), true));
}

/** Slots as a set: what either side added stays, what either side removed goes. */
function mergeSlots(o: KeySlot[], a: KeySlot[], b: KeySlot[]): KeySlot[] {
  const key = (s: KeySlot) => JSON.stringify(s);
  const base = new Set(o.map(key));
  const removed = new Set([...o.map(key)].filter((k) => !a.some((s) => key(s) === k) || !b.some((s) => key(s) === k)));
  const out: KeySlot[] = [];
  const seen = new Set<string>();
  for (const s of [...a, ...b]) {
    const k = key(s);
    if (seen.has(k) || (base.has(k) && removed.has(k))) continue;
    seen.add(k);
    out.push(s);
  }
  return out;
}
