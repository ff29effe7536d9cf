import { linksLeadTo, type KeyAnchor } from "../crypto/index.js";
import { ownEntry, parseVault, type Environment } from "../format/index.js";
import { knownKeyName, type CommittedVersion, type Contest, type KnownKey, type KnownVaults } from "../store/index.js";

export const anchorOf = (env: Environment): KeyAnchor => ({ generation: env.generation, keyId: env.keyId, signer: env.signer });

/** One environment's keys as history shows them, from what was known (or its first appearance). */
export interface Lineage {
  anchor: KeyAnchor;
  /** Every key passed through, oldest first. */
  chain: KeyAnchor[];
  /**
   * The commit where the environment first appeared, when nothing was known before and
   * the start is taken from history alone; undefined when it started from this machine's memory.
   */
  root: string | undefined;
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

/** The one git question a walk asks: which commits descend from this one (itself included). */
export type Descendants = (commit: string) => Set<string>;

/**
 * Walks committed versions of vault `id` (the one known at the place, or on a first walk the
 * first one committed there), oldest first (git's topological order: a commit after all its
 * ancestors), and follows each environment's key along signed links from what this machine
 * knew, or, knowing nothing, from the environment's first appearance.
 *
 * A key nobody linked to is a dead end when it was committed after that first appearance
 * (a descendant of its commit): a forgery or a re-creation that history itself contradicts,
 * refused if the file still holds it and harmless if a later commit undid it. Only keys
 * history cannot order contest the environment: a second successor of one key (a fork a
 * removed member signed) or, on a first walk, an unlinked key from a history unrelated to
 * the first appearance (an orphan branch, or the environment created twice on parallel
 * branches), since git's order between unrelated commits is whatever the writer made it.
 */
export function walkHistory(versions: CommittedVersion[], walk: { here: string; location: string; id: string; shallow: boolean }, known: KnownVaults, descendants: Descendants): Learned {
  const { here, location, id, shallow } = walk;
  const firstWalk = ownEntry(known.locations, location) === undefined;
  let seen = false;
  let idRoot: string | undefined;
  let contest: Contest | undefined;
  let firstDefault: string | undefined;
  const lineages = new Map<string, Lineage>();
  const cache = new Map<string, Set<string>>();
  const descends = (from: string, commit: string) => {
    if (!cache.has(from)) cache.set(from, descendants(from));
    return cache.get(from)!.has(commit);
  };
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
      if (idRoot !== undefined && !contest && !descends(idRoot, v.commit)) {
        contest = { why: `two vault ids committed here on unrelated histories (${short(idRoot)} and ${short(v.commit)})`, at: v.commit };
      }
      continue;
    }
    for (const [name, env] of Object.entries(doc.environments)) {
      const stored = ownEntry(known.keys, knownKeyName(location, name));
      const lineage = lineages.get(name) ?? startLineage(stored, anchorOf(env), v.commit, shallow);
      if (lineage === undefined) continue;
      lineages.set(name, lineage);
      follow(id, name, lineage, env, v.commit, descends);
    }
  }
  return { firstDefault: firstWalk ? firstDefault : undefined, contest, lineages };
}

function startLineage(stored: KnownKey | undefined, first: KeyAnchor, commit: string, shallow: boolean): Lineage | undefined {
  if (stored) {
    const anchor = { generation: stored.generation, keyId: stored.keyId, signer: stored.signer };
    return { anchor, chain: [anchor], root: undefined, ...(stored.contested ? { contest: stored.contested } : {}) };
  }
  // A shallow history starts wherever the clone was cut: its first version vouches for nothing.
  return shallow ? undefined : { anchor: first, chain: [first], root: commit };
}

/** Moves a lineage along one version's environment (see walkHistory). */
function follow(vaultId: string, envName: string, lineage: Lineage, env: Environment, commit: string, descends: (from: string, commit: string) => boolean): void {
  const now = anchorOf(env);
  if (lineage.chain.some((k) => k.keyId === now.keyId)) return;
  if (now.generation > lineage.anchor.generation && linksLeadTo(vaultId, envName, lineage.anchor, env.keyLinks, now)) {
    lineage.anchor = now;
    lineage.chain.push(now);
    return;
  }
  if (lineage.contest) return;
  const forkedFrom = lineage.chain.find((k) => k !== lineage.anchor && now.generation > k.generation && linksLeadTo(vaultId, envName, k, env.keyLinks, now));
  if (forkedFrom) {
    lineage.contest = { why: `two keys both signed by one older key (generation ${forkedFrom.generation}), a fork such as a removed member could sign (${short(commit)})`, at: commit };
  } else if (lineage.root !== undefined && !descends(lineage.root, commit)) {
    lineage.contest = { why: `keys from unrelated histories (${short(lineage.root)} and ${short(commit)}), as an orphan branch or a second creation on a parallel branch brings`, at: commit };
  }
}

const short = (commit: string) => commit.slice(0, 10);
