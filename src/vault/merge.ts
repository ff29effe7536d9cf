import { environmentMac, loadSodium, openValue, sameMacInput, type EnvKeys } from "../crypto/index.js";
import { byCodePoint, ownEntry, nameRecord, type Environment, type KeySlot, type VaultDoc } from "../format/index.js";
import { placeOf, type KeyAnswer } from "./open.js";

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

/** Opens one side's environment through the door; asked only where the merge needs it. */
export type SideOpener = (side: "ours" | "theirs", envName: string) => Promise<KeyAnswer>;

/**
 * Three-way merge of vault files, per environment and per secret, the way git merges
 * lines: a side that did not change something yields to the side that did. Untouched
 * values keep their ciphertext. Whatever is taken from a side is verified with the key
 * when this machine has it (a side that fails is named in the conflicts and ours is
 * kept); a MAC is carried over only when the merged environment is exactly what it
 * covered, otherwise it is recomputed with the key, after both sides verified.
 */
export async function mergeVaults(base: VaultDoc | undefined, ours: VaultDoc, theirs: VaultDoc, open: SideOpener): Promise<MergeOutcome> {
  await loadSodium();
  if (ours.id !== theirs.id) {
    return { doc: ours, conflicts: [{ env: "*", reason: "the two sides are different vaults (different vault ids)" }] };
  }
  const opened = new Map<string, Promise<KeyAnswer>>();
  const cachedOpen: SideOpener = (side, envName) => {
    const key = `${side}\0${envName}`;
    if (!opened.has(key)) opened.set(key, open(side, envName));
    return opened.get(key)!;
  };
  const wanted = pick(base?.defaultEnv, ours.defaultEnv, theirs.defaultEnv) ?? ours.defaultEnv;
  const first = await mergeWithDefault(base, ours, theirs, wanted, cachedOpen);
  if (wanted === ours.defaultEnv || !first.unsealable) return first;
  // Their new default needs keys this machine lacks to re-seal: keep our default instead.
  const second = await mergeWithDefault(base, ours, theirs, ours.defaultEnv, cachedOpen);
  second.conflicts.unshift({ env: "*", reason: `they made ${wanted} the default environment, which this machine cannot re-seal without its keys: kept ${ours.defaultEnv}` });
  return second;
}

interface MergeAttempt extends MergeOutcome {
  unsealable: boolean;
}

async function mergeWithDefault(base: VaultDoc | undefined, ours: VaultDoc, theirs: VaultDoc, defaultEnv: string, open: SideOpener): Promise<MergeAttempt> {
  const doc: VaultDoc = { ...ours, defaultEnv, environments: nameRecord<Environment>() };
  const conflicts: MergeConflict[] = [];
  let unsealable = false;
  const names = new Set([...Object.keys(ours.environments), ...Object.keys(theirs.environments)]);
  if (!names.has(defaultEnv)) doc.defaultEnv = ours.defaultEnv;
  for (const envName of [...names].sort(byCodePoint)) {
    const sides: Sides = {
      envName,
      base: base && ownEntry(base.environments, envName),
      ours: ownEntry(ours.environments, envName),
      theirs: ownEntry(theirs.environments, envName),
      docs: { ours, theirs, merged: doc },
      open,
      conflicts,
    };
    const merged = await mergeEnvironment(sides);
    if (merged === "unsealable") {
      unsealable = true;
      if (sides.ours) doc.environments[envName] = sides.ours;
    } else if (merged) doc.environments[envName] = merged;
  }
  return { doc, conflicts, unsealable };
}

interface Sides {
  envName: string;
  base: Environment | undefined;
  ours: Environment | undefined;
  theirs: Environment | undefined;
  docs: { ours: VaultDoc; theirs: VaultDoc; merged: VaultDoc };
  open: SideOpener;
  conflicts: MergeConflict[];
}

const sameEnv = (left: Environment | undefined, right: Environment | undefined) => JSON.stringify(left) === JSON.stringify(right);

async function mergeEnvironment(sides: Sides): Promise<Environment | undefined | "unsealable"> {
  const { envName, base, ours, theirs, conflicts } = sides;
  if (!ours && !theirs) return undefined;
  if (sameEnv(ours, theirs) || sameEnv(theirs, base)) return ours && (await sealed(sides, ours, "ours"));
  if (sameEnv(ours, base)) {
    if (!theirs) return undefined;
    const answer = await sides.open("theirs", envName);
    if ("failed" in answer) {
      conflicts.push({ env: envName, reason: `their side fails verification (${answer.failed}): kept ours` });
      return ours && (await sealed(sides, ours, "ours"));
    }
    return sealed(sides, theirs, "theirs");
  }
  if (!ours || !theirs) {
    conflicts.push({ env: envName, reason: `removed on one side and changed on the other (kept it; \`vault env rm ${envName}\` removes it)` });
    const kept = ours ?? theirs!;
    return sealed(sides, kept, ours ? "ours" : "theirs");
  }
  if (ours.keyId !== theirs.keyId) {
    conflicts.push({ env: envName, reason: "rotated on one side and changed on the other: kept our side; re-apply their changes with `vault set`" });
    return sealed(sides, ours, "ours");
  }
  const [ourAnswer, theirAnswer] = [await sides.open("ours", envName), await sides.open("theirs", envName)];
  for (const [side, answer] of [["our", ourAnswer], ["their", theirAnswer]] as const) {
    if ("failed" in answer) {
      conflicts.push({ env: envName, reason: `${side} side fails verification (${answer.failed}): kept ours` });
      return ours;
    }
  }
  if (!("keys" in ourAnswer) || !("keys" in theirAnswer)) {
    conflicts.push({ env: envName, reason: "both sides changed it and this machine has no key for it, so it cannot be merged here: kept our side" });
    return ours;
  }
  return mergeChanged(sides, ours, theirs, ourAnswer.keys);
}

/**
 * `env` as it will sit in the merged vault: its own MAC when that still covers it (the
 * default flag may have moved), else a new one from the key (which verifies the side
 * first), else "unsealable".
 */
async function sealed(sides: Sides, env: Environment, side: "ours" | "theirs"): Promise<Environment | "unsealable"> {
  const here = { place: placeOf(sides.docs.merged, sides.envName), env };
  if (sameMacInput(here, { place: placeOf(sides.docs[side], sides.envName), env })) return env;
  const answer = await sides.open(side, sides.envName);
  if (!("keys" in answer)) return "unsealable";
  return { ...env, mac: environmentMac(answer.keys, here.place, env) };
}

function mergeChanged(sides: Sides, ourEnv: Environment, theirEnv: Environment, keys: EnvKeys): Environment {
  const baseEnv = sides.base;
  const secrets = nameRecord<string>();
  const names = new Set([...Object.keys(ourEnv.secrets), ...Object.keys(theirEnv.secrets)]);
  for (const name of [...names].sort(byCodePoint)) {
    const ours = ownEntry(ourEnv.secrets, name);
    const theirs = ownEntry(theirEnv.secrets, name);
    const before = baseEnv && ownEntry(baseEnv.secrets, name);
    let chosen: string | undefined;
    if (ours === theirs || theirs === before) chosen = ours;
    else if (ours === before) chosen = theirs;
    else {
      const place = { vaultId: sides.docs.merged.id, env: sides.envName, name };
      chosen = ours;
      const sameValue = ours !== undefined && theirs !== undefined && openValue(keys, place, ours).value === openValue(keys, place, theirs).value;
      if (!sameValue) sides.conflicts.push({ env: sides.envName, name, reason: describe(ours, theirs) });
    }
    if (chosen !== undefined) secrets[name] = chosen;
  }
  const merged: Environment = {
    generation: ourEnv.generation,
    keyId: ourEnv.keyId,
    signer: ourEnv.signer,
    retiredKeyIds: [...new Set([...ourEnv.retiredKeyIds, ...theirEnv.retiredKeyIds])],
    keyLinks: unionBy([...ourEnv.keyLinks, ...theirEnv.keyLinks], (link) => `${link.from}>${link.to}>${link.sig}`),
    slots: mergeSlots(baseEnv?.slots ?? [], ourEnv.slots, theirEnv.slots),
    secrets,
    mac: "",
  };
  merged.mac = environmentMac(keys, placeOf(sides.docs.merged, sides.envName), merged);
  return merged;
}

/** The usual three-way rule for one value: the side that changed it wins; when both did, ours. */
function pick<T>(base: T | undefined, ours: T | undefined, theirs: T | undefined): T | undefined {
  if (ours === theirs) return ours;
  if (ours === base) return theirs;
  return ours;
}

function describe(ours: string | undefined, theirs: string | undefined): string {
  if (ours === undefined) return "we removed it, they changed it";
  if (theirs === undefined) return "we changed it, they removed it";
  return "both sides changed it";
}

function unionBy<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => !seen.has(key(item)) && (seen.add(key(item)), true));
}

/**
 * Slots as a set: what either side added stays, what either side removed goes. Both sides
 * were verified with the key before this runs, so every slot here was put there by a key
 * holder; a slot planted without the key never gets this far.
 */
function mergeSlots(baseSlots: KeySlot[], ourSlots: KeySlot[], theirSlots: KeySlot[]): KeySlot[] {
  const key = (slot: KeySlot) => JSON.stringify(slot);
  const inOurs = new Set(ourSlots.map(key));
  const inTheirs = new Set(theirSlots.map(key));
  const removed = new Set(baseSlots.map(key).filter((slotKey) => !inOurs.has(slotKey) || !inTheirs.has(slotKey)));
  const out: KeySlot[] = [];
  const seen = new Set<string>();
  for (const slot of [...ourSlots, ...theirSlots]) {
    const slotKey = key(slot);
    if (seen.has(slotKey) || removed.has(slotKey)) continue;
    seen.add(slotKey);
    out.push(slot);
  }
  return out;
}
