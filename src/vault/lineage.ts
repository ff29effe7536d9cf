import { linksLeadTo, type KeyAnchor } from "../crypto/index.js";
import { ownEntry, parseVault, type Environment } from "../format/index.js";
import { knownKeyName, type CommittedVersion, type Contest, type KnownKey, type KnownVaults } from "../store/index.js";

export const anchorOf = (env: Environment): KeyAnchor => ({ generation: env.generation, keyId: env.keyId, signer: env.signer });

/** One environment's keys as history shows them, from what was known (or its first appearance). */
interface Lineage {
  anchor: KeyAnchor;
  /** Every key passed through, oldest first. */
  chain: KeyAnchor[];
  /**
   * The commit where the environment first appeared, when nothing was known before and
   * the start is taken from history alone; undefined when it started from this machine's memory.
   */
  root: string | undefined;
  /** Its start came from history alone (now, or on an earlier walk), never from a key opened here. */
  learned: boolean;
  /** The commit the anchor was learned at, when learned from history: what lies in its ancestry is its past. */
  anchorAt: string | undefined;
  /** What history holds that it cannot settle, and the commit that brought it. */
  contest?: Contest;
}

/** What a walk over a vault's committed versions found. */
export interface Learned {
  /** The default of the first version of that vault. */
  firstDefault: string | undefined;
  /** Two vault ids at the place from histories that do not descend from one another. */
  contest?: Contest;
  lineages: Map<string, Lineage>;
}

/** The git questions a walk asks (see VaultHistory). */
export interface HistoryQuestions {
  /** The commits that descend from this one (itself included). */
  descendantsOf(commit: string): Set<string>;
  /** The commits this one descends from (itself included). */
  ancestorsOf(commit: string): Set<string>;
  /** Per commit, per parent, the texts at `paths` there. */
  parentTexts(commits: readonly string[], paths: readonly string[]): Map<string, (string | undefined)[][]>;
}

/** A key nobody linked to, to be judged by what the commit's parents held. */
interface Unlinked {
  env: string | undefined;
  commit: string;
  lineage?: Lineage;
}

/**
 * Walks committed versions of vault `id` (the one known at the place, or on a first walk the
 * first one committed there), oldest first (git's topological order: a commit after all its
 * ancestors), and follows each environment's key along signed links from what this machine
 * knew, or, knowing nothing, from the environment's first appearance.
 *
 * A key nobody linked to that replaced the environment in place (every parent of its commit
 * held the environment) is a dead end: a forgery history contradicts, refused if the file
 * still holds it and harmless once a later commit undid it. Keys history cannot order
 * contest the environment: a second successor of one key (a fork a removed member signed);
 * where the start came from history alone, an unlinked key from a history unrelated to the
 * first appearance (an orphan branch, the environment created on parallel branches), or
 * one that created the environment again after it was gone: the first creation may itself
 * have been a squatter's, so neither can be taken on trust. The same holds for vault ids.
 */
export function walkHistory(
  versions: CommittedVersion[],
  walk: { here: string; location: string; id: string; shallow: boolean; only?: ReadonlySet<string> | undefined },
  known: KnownVaults,
  git: HistoryQuestions,
): Learned {
  const { here, location, id, shallow, only } = walk;
  const firstWalk = ownEntry(known.locations, location) === undefined;
  let seen = false;
  let idRoot: string | undefined;
  let contest: Contest | undefined;
  let firstDefault: string | undefined;
  const lineages = new Map<string, Lineage>();
  const cache = new Map<string, Set<string>>();
  const descends = (from: string, commit: string) => {
    if (!cache.has(from)) cache.set(from, git.descendantsOf(from));
    return cache.get(from)!.has(commit);
  };
  const pastCache = new Map<string, Set<string>>();
  // A walk over another branch's commits (a checkout, a pull of an old branch) meets versions
  // older than the anchor it starts from: those in the anchor's own ancestry are its past.
  const inPastOf = (at: string, commit: string) => {
    if (!pastCache.has(at)) pastCache.set(at, git.ancestorsOf(at));
    return pastCache.get(at)!.has(commit);
  };
  const unlinked: Unlinked[] = [];
  const paths = new Set<string>();
  for (const v of versions) {
    let doc;
    try {
      doc = parseVault(v.text);
    } catch {
      continue;
    }
    // Another path speaks only for this vault: where it lived before a move.
    if (v.path !== here && doc.id !== id) continue;
    if (!seen && doc.id === id) {
      seen = true;
      if (firstWalk && !shallow) idRoot = v.commit;
      firstDefault = doc.defaultEnv;
    }
    if (doc.id !== id) {
      if (idRoot !== undefined && !contest) {
        if (!descends(idRoot, v.commit)) contest = { why: `two vault ids committed here on unrelated histories (${short(idRoot)} and ${short(v.commit)})`, at: v.commit };
        else unlinked.push({ env: undefined, commit: v.commit });
      }
      continue;
    }
    paths.add(v.path);
    for (const [name, env] of Object.entries(doc.environments)) {
      if (only && !only.has(name)) continue;
      const stored = ownEntry(known.keys, knownKeyName(location, name));
      const lineage = lineages.get(name) ?? startLineage(stored, anchorOf(env), v.commit, shallow);
      if (lineage === undefined) continue;
      lineages.set(name, lineage);
      if (follow(id, name, lineage, env, v.commit, descends) === "unlinked" && lineage.learned && !(lineage.anchorAt && inPastOf(lineage.anchorAt, v.commit))) {
        unlinked.push({ env: name, commit: v.commit, lineage });
      }
    }
  }
  // The paths this vault was seen at, the newest few: a parent is asked about each.
  contest ??= judgeUnlinked(unlinked, id, [here, ...[...paths].filter((p) => p !== here).slice(1 - MAX_PARENT_PATHS)], git);
  return { firstDefault: firstWalk ? firstDefault : undefined, contest, lineages };
}

/**
 * In place, or created again? An unlinked key whose commit has a parent without the
 * environment (or without the vault) came with a new creation: contested. Returns the
 * place's contest for a vault id created again; environments' contests go on their lineage.
 */
function judgeUnlinked(unlinked: Unlinked[], id: string, paths: string[], git: HistoryQuestions): Contest | undefined {
  if (unlinked.length === 0) return undefined;
  const parents = git.parentTexts(unlinked.map((u) => u.commit), paths);
  const held = (texts: (string | undefined)[], env: string | undefined) =>
    texts.some((text) => {
      try {
        const doc = text === undefined ? undefined : parseVault(text);
        return doc?.id === id && (env === undefined || Object.hasOwn(doc.environments, env));
      } catch {
        return false;
      }
    });
  let placeContest: Contest | undefined;
  for (const u of unlinked) {
    const ps = parents.get(u.commit) ?? [];
    if (ps.length > 0 && ps.every((texts) => held(texts, u.env))) continue;
    if (u.env === undefined) {
      placeContest ??= { why: `another vault id committed here where this vault had been removed (${short(u.commit)}): either creation may be a squatter's`, at: u.commit };
    } else if (u.lineage && !u.lineage.contest) {
      u.lineage.contest = { why: `${u.env} created again after it was gone (${short(u.commit)}): history cannot tell which creation is genuine`, at: u.commit };
    }
  }
  return placeContest;
}

function startLineage(stored: KnownKey | undefined, first: KeyAnchor, commit: string, shallow: boolean): Lineage | undefined {
  if (stored) {
    const anchor = { generation: stored.generation, keyId: stored.keyId, signer: stored.signer };
    return { anchor, chain: [anchor], root: undefined, learned: Boolean(stored.learned), anchorAt: stored.seenAt, ...(stored.contested ? { contest: stored.contested } : {}) };
  }
  // A shallow history starts wherever the clone was cut: its first version vouches for nothing.
  return shallow ? undefined : { anchor: first, chain: [first], root: commit, learned: true, anchorAt: commit };
}

/** Moves a lineage along one version's environment (see walkHistory); "unlinked" for a key nobody linked to, left to be judged. */
function follow(vaultId: string, envName: string, lineage: Lineage, env: Environment, commit: string, descends: (from: string, commit: string) => boolean): "unlinked" | undefined {
  const now = anchorOf(env);
  if (lineage.chain.some((k) => k.keyId === now.keyId)) return undefined;
  if (now.generation > lineage.anchor.generation && linksLeadTo(vaultId, envName, lineage.anchor, env.keyLinks, now)) {
    lineage.anchor = now;
    lineage.anchorAt = commit;
    lineage.chain.push(now);
    return undefined;
  }
  if (lineage.contest) return undefined;
  const forkedFrom = lineage.chain.find((k) => k !== lineage.anchor && now.generation > k.generation && linksLeadTo(vaultId, envName, k, env.keyLinks, now));
  if (forkedFrom) {
    lineage.contest = { why: `two keys both signed by one older key (generation ${forkedFrom.generation}), a fork such as a removed member could sign (${short(commit)})`, at: commit };
  } else if (lineage.root !== undefined && !descends(lineage.root, commit)) {
    lineage.contest = { why: `keys from unrelated histories (${short(lineage.root)} and ${short(commit)}), as an orphan branch or a second creation on a parallel branch brings`, at: commit };
  } else {
    return "unlinked";
  }
  return undefined;
}

const short = (commit: string) => commit.slice(0, 10);
/** Enough for a vault moved a few times; bounded, as anyone can commit copies of it at many paths. */
const MAX_PARENT_PATHS = 16;
