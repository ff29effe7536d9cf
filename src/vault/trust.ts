import { linksLeadTo, signerOf, type EnvKeys, type KeyAnchor } from "../crypto/index.js";
import { IntegrityError, VaultError } from "../errors.js";
import { ownEntry, parseVault, type Environment } from "../format/index.js";
import path from "node:path";
import { committedVersions, headCommit, isShallowClone, knownKeyName, readKnownVaults, repositoryRoot, shadowedVault, updateKnownVaults, vaultLocation, type KnownVaults } from "../store/index.js";

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

const anchorOf = (env: Environment): KeyAnchor => ({ generation: env.generation, keyId: env.keyId, signer: env.signer });

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
    // In a repository where this machine already uses a vault, a new one (planted in a
    // subfolder, say) is somebody's say, not the user's: its own history cannot vouch for it.
    if (sibling !== undefined && !lenient) throw unknownVaultInRepository(location, sibling);
    const root = repositoryRoot(location);
    const shadowed = root === undefined || c.named || lenient ? undefined : shadowedVault(location, root);
    if (shadowed !== undefined) throw shadowingVault(location, shadowed);
    if (sibling === undefined && c.remember && (await learnFromHistory(c.environ, location, known))) known = readKnownVaults(c.environ);
  } else if (location !== undefined && c.remember && (await learnFromHistory(c.environ, location, known))) {
    known = readKnownVaults(c.environ);
  }
  const expectedId = location === undefined ? undefined : ownEntry(known.locations, location);
  const contestedId = location === undefined ? undefined : ownEntry(known.contested, location);
  if (contestedId !== undefined && !lenient) throw contestedHistory(c.envName, contestedId);
  if (expectedId !== undefined && expectedId !== c.vaultId && !lenient) throw replacedVault(expectedId, c.vaultId);
  // Without a place (a copy git handed over), there is nothing remembered to hold it against.
  if (location === undefined) return true;

  const keyName = knownKeyName(location, c.envName);
  const before = ownEntry(known.keys, keyName);
  if (before?.contested && !lenient) throw contestedHistory(c.envName, "keys that do not follow one another by signed links: a fork signed with an old key, or an environment replaced on another branch");
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
  const record = current && (!before || before.keyId !== now.keyId);
  if (record && c.env.signer !== signerOf(c.keys)) {
    throw new IntegrityError("signer_mismatch", `${c.envName} names a signing key that does not belong to its data key`, "restore secrets.vault from git");
  }
  const relocate = expectedId !== c.vaultId && (expectedId === undefined || lenient);
  const settle = c.trust && (contestedId !== undefined || Boolean(before?.contested));
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
 * A history that was itself rewritten cannot be told apart, and is not covered.
 */
async function learnFromHistory(environ: NodeJS.ProcessEnv, location: string, known: KnownVaults): Promise<boolean> {
  const head = headCommit(location);
  const firstTime = ownEntry(known.locations, location) === undefined;
  const since = ownEntry(known.heads, location);
  if (!firstTime && (head === undefined || head === since)) return false;
  const versions = committedVersions(location, firstTime ? undefined : since) ?? [];
  // A shallow history starts wherever the clone was cut: its first version vouches for nothing.
  const shallow = isShallowClone(location);
  let id = firstTime ? undefined : ownEntry(known.locations, location);
  const otherIds = new Set<string>();
  const lineages = new Map<string, Lineage>();
  for (const text of versions) {
    let doc;
    try {
      doc = parseVault(text);
    } catch {
      continue;
    }
    id ??= doc.id;
    if (doc.id !== id) {
      otherIds.add(doc.id);
      continue;
    }
    for (const [name, env] of Object.entries(doc.environments)) {
      const stored = ownEntry(known.keys, knownKeyName(location, name));
      const lineage = lineages.get(name) ?? startLineage(stored, anchorOf(env), shallow);
      if (lineage === undefined) continue;
      lineages.set(name, lineage);
      follow(id, name, lineage, env);
    }
  }
  const vaultId = id;
  const firstDefault = firstTime && vaultId !== undefined ? firstDefaultOf(versions, vaultId) : undefined;
  await updateKnownVaults(environ, (k: KnownVaults) => {
    if (firstTime && vaultId !== undefined) {
      if (k.locations[location] !== undefined) return false;
      k.locations[location] = vaultId;
      if (firstDefault !== undefined) k.defaults[location] = firstDefault;
      // Two vaults committed at one place: which is genuine depends on the order git lists them in.
      if (otherIds.size) k.contested[location] = `${otherIds.size + 1} different vault ids at this place`;
    }
    if (head !== undefined) k.heads[location] = head;
    for (const [name, lineage] of lineages) {
      const keyName = knownKeyName(location, name);
      const stored = ownEntry(k.keys, keyName);
      if (!stored || stored.generation < lineage.anchor.generation || (lineage.contested && !stored.contested)) {
        k.keys[keyName] = lineage.contested ? { ...lineage.anchor, contested: true } : lineage.anchor;
      }
    }
    return true;
  });
  return true;
}

/** One environment's keys as history shows them, from what was known (or its first appearance). */
interface Lineage {
  anchor: KeyAnchor;
  /** Every key passed through, oldest first. */
  chain: KeyAnchor[];
  /** Taken from history alone (nothing known before): any competing key contests it. */
  fromHistory: boolean;
  contested: boolean;
}

function startLineage(stored: KeyAnchor & { contested?: boolean } | undefined, first: KeyAnchor, shallow: boolean): Lineage | undefined {
  if (stored) return { anchor: stored, chain: [stored], fromHistory: false, contested: Boolean(stored.contested) };
  return shallow ? undefined : { anchor: first, chain: [first], fromHistory: true, contested: false };
}

/**
 * Moves a lineage along one version's environment: a key linked from the newest one
 * advances it. A key that does not lie on the chain contests it when history cannot tell
 * which is genuine: one signed by a key the chain already left (two successors of one
 * key: a fork a removed member signed), or any unlinked key where the chain itself came
 * from history alone (an orphan branch's environment, say).
 */
function follow(vaultId: string, envName: string, lineage: Lineage, env: Environment): void {
  const now = anchorOf(env);
  if (lineage.chain.some((k) => k.keyId === now.keyId)) return;
  if (now.generation > lineage.anchor.generation && linksLeadTo(vaultId, envName, lineage.anchor, env.keyLinks, now)) {
    lineage.anchor = now;
    lineage.chain.push(now);
    return;
  }
  const forked = lineage.chain.some((k) => k !== lineage.anchor && now.generation > k.generation && linksLeadTo(vaultId, envName, k, env.keyLinks, now));
  if (forked || lineage.fromHistory) lineage.contested = true;
}

/** The default of the first committed version of this vault: what the history says was the default. */
function firstDefaultOf(versions: string[], vaultId: string): string | undefined {
  for (const text of versions) {
    try {
      const doc = parseVault(text);
      if (doc.id === vaultId) return doc.defaultEnv;
    } catch {
      // Unreadable versions say nothing.
    }
  }
  return undefined;
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
