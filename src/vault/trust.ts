import { linksLeadTo, signerOf, type EnvKeys } from "../crypto/index.js";
import { IntegrityError, VaultError } from "../errors.js";
import { ownEntry, parseVault, type Environment } from "../format/index.js";
import path from "node:path";
import { headCommit, isShallowClone, knownKeyName, readKnownVaults, repositoryRoot, shadowedVault, updateKnownVaults, vaultHistory, vaultLocation, type CommittedVersion, type KnownVaults, type VaultHistory } from "../store/index.js";
import { anchorOf, walkHistory } from "./lineage.js";

/** How an environment is being opened, for the checks against what this machine knows. */
export interface TrustCheck {
  environ: NodeJS.ProcessEnv;
  /** The vault file whose location remembers the vault id; undefined for a file git handed us. */
  file: string | undefined;
  vaultId: string;
  envName: string;
  env: Environment;
  keys: EnvKeys;
  /** The key came from a key string the user set (VAULT_KEY*): it names the key itself. */
  keyString: boolean;
  /** The key came from a member slot, which anyone can seal to this user's public key. */
  memberSlot: boolean;
  /** The user named the vault file (--vault, VAULT_FILE) rather than the upward search finding it. */
  named: boolean;
  /** `vault trust`: accept what is here, deliberately. */
  trust: boolean;
  /** --allow-rollback: read an environment older than one seen here (never written under). */
  allowRollback: boolean;
  /** Record what was verified (not for old versions shown by git diff). */
  remember: boolean;
}


/**
 * Holds the environment against what this machine verified before: the vault id found at
 * this place, and the newest key of this environment. Returns false when the environment
 * is older than that and --allow-rollback let it be read; throws for a rollback or a
 * replacement otherwise. A key string is its own anchor (an environment forged without the
 * key cannot verify under it), so it is spared the replacement checks, not the rollback one.
 */
export async function checkTrust(c: TrustCheck): Promise<boolean> {
  const location = c.file === undefined ? undefined : vaultLocation(c.file);
  const now = anchorOf(c.env);
  const lenient = c.trust || c.keyString;
  let known = readKnownVaults(c.environ);
  if (location !== undefined && known.locations[location] === undefined) {
    const sibling = knownVaultBeside(known, location);
    if (sibling !== undefined && ownEntry(known.locations, sibling) === c.vaultId) {
      // The same vault, moved (`git mv`) or copied within the repository: what was verified
      // there holds here, so a genuine move reads on and a forgery under its id is refused.
      await updateKnownVaults(c.environ, (k) => carryOver(k, sibling, location));
      known = readKnownVaults(c.environ);
    } else if (sibling !== undefined && !lenient) {
      // In a repository where this machine already uses a vault, a new one (planted in a
      // subfolder, say) is somebody's say, not the user's: its own history cannot vouch for it.
      throw unknownVaultInRepository(location, sibling);
    }
    const root = repositoryRoot(location);
    const shadowed = root === undefined || c.named || lenient ? undefined : shadowedVault(location, root);
    if (shadowed !== undefined) throw shadowingVault(location, shadowed);
    if ((sibling === undefined || known.locations[location] !== undefined) && c.remember && (await learnFromHistory(c.environ, location, known))) known = readKnownVaults(c.environ);
  } else if (location !== undefined && c.remember && (await learnFromHistory(c.environ, location, known))) {
    known = readKnownVaults(c.environ);
  }
  const expectedId = location === undefined ? undefined : ownEntry(known.locations, location);
  const contested = location === undefined ? undefined : ownEntry(known.contested, location);
  if (contested !== undefined && !lenient) throw contestedHistory(c.envName, contested.why);
  if (expectedId !== undefined && expectedId !== c.vaultId && !lenient) throw replacedVault(expectedId, c.vaultId);
  // Without a place (a copy git handed over), there is nothing remembered to hold it against.
  if (location === undefined) return true;

  const keyName = knownKeyName(location, c.envName);
  const before = ownEntry(known.keys, keyName);
  if (before?.contested && !lenient) throw contestedHistory(c.envName, before.contested.why);
  if (!before && c.memberSlot && !c.trust && isShallowClone(location)) {
    // Nothing vouches for this key: no memory here, and a shallow history cannot contradict a forgery.
    throw new VaultError(
      "replaced",
      `${c.envName} opens through your member slot, but this shallow clone has no history to check it against, and this machine never opened it before`,
      "fetch the whole history (`git fetch --unshallow`, or `fetch-depth: 0` in CI), use a key string (VAULT_KEY_<ENV>) in CI, or accept it with `vault trust` after checking",
    );
  }
  let current = true;
  if (before && before.keyId !== now.keyId && !c.trust) {
    if (now.generation < before.generation) {
      if (!c.allowRollback) throw rolledBack(c.envName, now.generation, before.generation);
      current = false;
    } else if (!c.keyString && !(now.generation > before.generation && linksLeadTo(c.vaultId, c.envName, before, c.env.keyLinks, now))) {
      throw replacedEnvironment(c.envName);
    }
  }
  // Opened and verified here: what history alone suggested becomes what this machine knows.
  const record = current && (!before || before.keyId !== now.keyId || Boolean(before.learned));
  if (record && c.env.signer !== signerOf(c.keys)) {
    throw new IntegrityError("signer_mismatch", `${c.envName} names a signing key that does not belong to its data key`, "restore secrets.vault from git");
  }
  const relocate = expectedId !== c.vaultId && (expectedId === undefined || lenient);
  const settle = c.trust && (contested !== undefined || Boolean(before?.contested));
  if (c.remember && (record || relocate || settle)) {
    await updateKnownVaults(c.environ, (k) => {
      if (relocate) k.locations[location] = c.vaultId;
      if (settle) delete k.contested[location];
      const stored = ownEntry(k.keys, keyName);
      if ((record || settle) && (c.trust || c.keyString || !stored || stored.generation <= now.generation)) k.keys[keyName] = now;
      return true;
    });
  }
  return current;
}

/**
 * What the vault's own git history says, learned on the first open at a location and
 * again whenever HEAD has moved since (a pull, a checkout; HEAD is read from `.git`, so an
 * unmoved HEAD costs no process). The first time: which vault lived here (its first id)
 * and its first default. Every time: per environment, the newest key that signed links
 * lead to from the one known before (or from its first appearance), so a fresh clone, or a
 * clone that pulls a removal and a rollback at once, refuses what its history contradicts.
 * The history of a vault includes every other path its id was committed at, so a `git mv`
 * does not start it afresh. A history that was itself rewritten cannot be told apart, and
 * is not covered; a contest whose commit a rewrite removed is forgotten and learned again.
 */
async function learnFromHistory(environ: NodeJS.ProcessEnv, location: string, known: KnownVaults): Promise<boolean> {
  const head = headCommit(location);
  const firstTime = ownEntry(known.locations, location) === undefined;
  const since = ownEntry(known.heads, location);
  if (!firstTime && (head === undefined || head === since)) return false;
  const history = vaultHistory(location);
  if (!firstTime && history) {
    const stale = new Set(contestsOf(known, location).filter((at) => !history.reaches(at)));
    if (stale.size > 0) {
      let forgotten: Forgotten = { envs: [], place: false };
      await updateKnownVaults(environ, (k) => {
        forgotten = forgetRewritten(k, location, stale);
        return true;
      });
      if (forgotten.place) return learnFromHistory(environ, location, readKnownVaults(environ));
      // Only what the contest had left unsettled is learned again, from the whole history.
      if (forgotten.envs.length > 0) await learn(environ, location, readKnownVaults(environ), history, { only: new Set(forgotten.envs) });
      known = readKnownVaults(environ);
    }
  }
  await learn(environ, location, known, history, { ...(firstTime ? {} : { since }), ...(head === undefined ? {} : { head }) });
  return true;
}

/** One walk: versions since `since` (all when undefined), for the environments in `only` (all when undefined). */
async function learn(environ: NodeJS.ProcessEnv, location: string, known: KnownVaults, history: VaultHistory | undefined, walk: { since?: string; head?: string; only?: Set<string> }): Promise<void> {
  const firstTime = ownEntry(known.locations, location) === undefined;
  const versions = history?.versions(walk.since) ?? [];
  const id = firstTime ? firstIdOf(versions.filter((v) => v.path === history?.path)) : ownEntry(known.locations, location);
  const learned = id === undefined || !history ? undefined : walkHistory(versions, { here: history.path, location, id, shallow: isShallowClone(location), only: walk.only }, known, history);
  await updateKnownVaults(environ, (k: KnownVaults) => {
    if (firstTime && id !== undefined) {
      if (k.locations[location] !== undefined) return false;
      k.locations[location] = id;
      if (learned?.firstDefault !== undefined) k.defaults[location] = learned.firstDefault;
      if (learned?.contest) k.contested[location] = learned.contest;
    }
    if (walk.head !== undefined) k.heads[location] = walk.head;
    for (const [name, lineage] of learned?.lineages ?? []) {
      const keyName = knownKeyName(location, name);
      const stored = ownEntry(k.keys, keyName);
      if (!stored || stored.generation < lineage.anchor.generation || (lineage.contest && !stored.contested)) {
        // Learned in the very walk that found it contested (or the place): it goes with the contest.
        const provisional = stored?.provisional || (lineage.root !== undefined && (lineage.contest !== undefined || (firstTime && learned?.contest !== undefined)));
        k.keys[keyName] = {
          ...lineage.anchor,
          ...(lineage.contest ? { contested: lineage.contest } : {}),
          ...(lineage.learned ? { learned: true as const, ...(lineage.anchorAt ? { seenAt: lineage.anchorAt } : {}) } : {}),
          ...(provisional ? { provisional: true as const } : {}),
        };
      }
    }
    return true;
  });
}

/** The vault id of the first version that parses. */
function firstIdOf(versions: CommittedVersion[]): string | undefined {
  for (const v of versions) {
    try {
      return parseVault(v.text).id;
    } catch {
      // Unreadable versions say nothing.
    }
  }
  return undefined;
}

/** The commits the contests remembered at this place came from. */
function contestsOf(known: KnownVaults, location: string): string[] {
  const prefix = knownKeyName(location, "");
  const keys = Object.entries(known.keys).filter(([name]) => name.startsWith(prefix)).map(([, key]) => key.contested?.at);
  return [ownEntry(known.contested, location)?.at, ...keys].filter((at): at is string => at !== undefined);
}

/** What forgetRewritten let go: environments to learn again, or the whole place (learned afresh, as a first time). */
interface Forgotten {
  envs: string[];
  place: boolean;
}

/**
 * Contests whose commits are gone from the history reachable from HEAD (a force-push took
 * the fork or the orphan branch away, or another branch is checked out) no longer stand.
 * Only what was learned together with such a contest goes with it: every other key stays,
 * learned or verified, so that planting a contest and making it vanish again never makes a
 * machine forget a key (and then accept a forgery or a rollback).
 */
function forgetRewritten(k: KnownVaults, location: string, stale: ReadonlySet<string>): Forgotten {
  const forgotten: Forgotten = { envs: [], place: false };
  const prefix = knownKeyName(location, "");
  const place = ownEntry(k.contested, location);
  const placeStale = place !== undefined && stale.has(place.at);
  const mine = Object.entries(k.keys).filter(([name]) => name.startsWith(prefix));
  if (placeStale && mine.every(([, key]) => key.learned)) {
    // Nothing was ever opened at a place contested from its first walk: learn it as a first time.
    for (const [name] of mine) delete k.keys[name];
    for (const table of [k.contested, k.locations, k.defaults, k.heads]) delete table[location];
    forgotten.place = true;
    return forgotten;
  }
  if (placeStale) delete k.contested[location];
  for (const [name, key] of mine) {
    const keyStale = key.contested !== undefined && stale.has(key.contested.at);
    if ((keyStale || placeStale) && key.provisional) {
      delete k.keys[name];
      forgotten.envs.push(name.slice(prefix.length));
    } else if (keyStale) {
      delete key.contested;
    }
  }
  return forgotten;
}

/** What this machine knows of a vault at one place, now also known at another (its heads too: history is shared). */
function carryOver(k: KnownVaults, from: string, to: string): boolean {
  if (k.locations[to] !== undefined) return false;
  k.locations[to] = k.locations[from]!;
  for (const table of [k.defaults, k.heads, k.contested] as Record<string, unknown>[]) if (Object.hasOwn(table, from)) table[to] = table[from];
  const prefix = knownKeyName(from, "");
  for (const [name, key] of Object.entries(k.keys)) if (name.startsWith(prefix)) k.keys[knownKeyName(to, name.slice(prefix.length))] = { ...key };
  return true;
}

/** Another vault file this machine knows in the same git repository as `location`. */
function knownVaultBeside(known: KnownVaults, location: string): string | undefined {
  const root = repositoryRoot(location);
  if (root === undefined) return undefined;
  return Object.keys(known.locations).find((l) => l !== location && l.startsWith(root + path.sep) && repositoryRoot(l) === root);
}

/** The default environment this machine last used at this vault's place, if any. */
export function rememberedDefault(environ: NodeJS.ProcessEnv, file: string): string | undefined {
  return ownEntry(readKnownVaults(environ).defaults, vaultLocation(file));
}

export async function rememberDefault(environ: NodeJS.ProcessEnv, file: string, envName: string): Promise<void> {
  await updateKnownVaults(environ, (k) => {
    if (k.defaults[vaultLocation(file)] === envName) return false;
    k.defaults[vaultLocation(file)] = envName;
    return true;
  });
}

export function defaultMoved(before: string, now: string, why: string): VaultError {
  return new VaultError(
    "replaced",
    `the default environment changed from ${before} to ${now}, and this machine cannot verify that a holder of the ${before} key made that change (${why})`,
    `pass --env ${now} to use it deliberately, or accept the new default with \`vault trust\` once you have checked \`git log -p secrets.vault\``,
  );
}

/** After a deliberate change made here (init, env add, rotate): remember it without asking. */
export async function rememberVerified(environ: NodeJS.ProcessEnv, file: string, vaultId: string, envName: string, env: Environment): Promise<void> {
  await updateKnownVaults(environ, (k) => {
    k.locations[vaultLocation(file)] = vaultId;
    k.keys[knownKeyName(vaultLocation(file), envName)] = anchorOf(env);
    return true;
  });
}

/** After `vault env rm`: a later environment of that name is a new one, not a replacement. */
export async function forgetEnvironment(environ: NodeJS.ProcessEnv, file: string, envName: string): Promise<void> {
  await updateKnownVaults(environ, (k) => delete k.keys[knownKeyName(vaultLocation(file), envName)]);
}

function rolledBack(envName: string, found: number, seen: number): VaultError {
  return new VaultError(
    "rolled_back",
    `${envName} is at key generation ${found}, older than generation ${seen} this machine has already verified: the file was rolled back, perhaps by someone whose access was removed`,
    "check `git log -p secrets.vault`; to read an old commit on purpose (bisecting), pass --allow-rollback or set VAULT_ALLOW_ROLLBACK=1 (nothing is written then)",
  );
}

function contestedHistory(envName: string, why: string): VaultError {
  return new VaultError(
    "replaced",
    `this machine cannot tell which ${envName} is genuine: the vault's history here holds ${why}`,
    "check `git log -p --full-history secrets.vault` with your team; once you know the file is genuine, accept it with `vault trust`, or use a key string (VAULT_KEY_<ENV>)",
  );
}

function replacedEnvironment(envName: string): VaultError {
  return new VaultError(
    "replaced",
    `${envName} now uses a key this machine cannot link to the one it verified before: the environment may have been replaced by someone without its key`,
    `check \`git log -p\` on the vault with your team; if the change is genuine (the environment was re-created), accept it with \`vault trust --env ${envName}\``,
  );
}

function shadowingVault(location: string, shadowed: string): VaultError {
  return new VaultError(
    "replaced",
    `${location} is found first from here, but the repository also holds ${shadowed}, and this machine has used neither: a vault in a subfolder may have been planted to shadow it`,
    "name the vault you mean with --vault FILE or VAULT_FILE (that choice is remembered), or accept this one with `vault trust`",
  );
}

function unknownVaultInRepository(location: string, known: string): VaultError {
  return new VaultError(
    "replaced",
    `${location} is a vault this machine has not used before, in a repository where it uses ${known}: someone may have planted it`,
    "check who added it (`git log --follow -- PATH`); if it is meant to be there, accept it with `vault trust` in its folder, or name the vault you meant with --vault",
  );
}

function replacedVault(expected: string, found: string): VaultError {
  return new VaultError(
    "replaced",
    `this secrets.vault is not the vault this machine knew here (vault id ${found}, expected ${expected}): it may have been replaced by someone without its keys`,
    "check `git log -p secrets.vault` with your team; if it was re-created on purpose, accept it with `vault trust`",
  );
}
