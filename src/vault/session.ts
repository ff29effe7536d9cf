import path from "node:path";
import { fromB64, linkKeyOf, loadSodium, toB64, verifyEnvironmentMac, verifyKeyChain, type EnvKeys } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { checkEnvName, ownEntry, parseVault, type Environment, type VaultDoc } from "../format/index.js";
import { resolveKey, type FoundKey, type KeyContext } from "../keys/index.js";
import { findVault, knownKey, readVaultText, rememberKnownKey } from "../store/index.js";

/** What every operation needs from its caller: where it runs and how it may ask. */
export interface Session {
  cwd: string;
  environ: NodeJS.ProcessEnv;
  /** --vault; falls back to VAULT_FILE, then a search upwards from cwd. */
  vaultPath?: string;
  /** --env; falls back to VAULT_ENV, then the vault's default. */
  envName?: string;
  askPassphrase?: (question: string) => Promise<string>;
}

export interface OpenVault {
  file: string;
  doc: VaultDoc;
}

export async function openVault(s: Session): Promise<OpenVault> {
  const file = findVault(s.cwd, s.vaultPath ?? (s.environ.VAULT_FILE || undefined));
  await loadSodium();
  return { file, doc: readDoc(file) };
}

export function readDoc(file: string): VaultDoc {
  return parseVault(readVaultText(file), path.basename(file));
}

/** The environment a command acts on: --env, then VAULT_ENV, then the vault's default. */
export function chosenEnv(s: Session, doc: VaultDoc): string {
  const name = s.envName ?? (s.environ.VAULT_ENV || undefined) ?? doc.defaultEnv;
  checkEnvName(name);
  environmentOf(doc, name);
  return name;
}

export function environmentOf(doc: VaultDoc, name: string): Environment {
  const env = ownEntry(doc.environments, name);
  if (!env) {
    const known = Object.keys(doc.environments).join(", ");
    throw new VaultError("not_found", `no environment ${name} in this vault (it has: ${known})`, `create it with \`vault env add ${name}\``);
  }
  return env;
}

/**
 * Finds the environment's key, checks the environment's MAC with it, and checks that the
 * key descends from the one this user saw last (`trust` accepts a new one instead).
 */
export async function unlock(s: Session, v: OpenVault, envName: string, options: { trust?: boolean } = {}): Promise<FoundKey> {
  const env = environmentOf(v.doc, envName);
  const ctx: KeyContext = { vaultId: v.doc.id, envName, env, environ: s.environ };
  if (s.askPassphrase) ctx.askPassphrase = s.askPassphrase;
  const found = await resolveKey(ctx);
  verifyEnvironmentMac(found.keys, v.doc.id, envName, env);
  checkKeyLineage(s.environ, v.doc.id, envName, env, found.keys, Boolean(options.trust));
  return found;
}

function checkKeyLineage(environ: NodeJS.ProcessEnv, vaultId: string, envName: string, env: Environment, keys: EnvKeys, trust: boolean): void {
  const known = knownKey(environ, vaultId, envName);
  if (known?.keyId === keys.keyId) return;
  // A key verified before (an older commit checked out) is no replacement, and not newer either.
  if (known && !trust && known.keyId !== keys.keyId && known.seen?.includes(keys.keyId)) return;
  const trustedLinkKey = known ? fromB64(known.linkKey) : undefined;
  if (known && trustedLinkKey && known.keyId !== keys.keyId && !trust) {
    verifyKeyChain(vaultId, envName, known.keyId, trustedLinkKey, env.keyLinks, keys);
  }
  try {
    rememberKnownKey(environ, vaultId, envName, { keyId: keys.keyId, linkKey: toB64(linkKeyOf(keys)) });
  } catch {
    // A read-only HOME (some CI runners) must not stop `vault run`; the check just stays off there.
  }
}

/**
 * The environment's key if some source here has it, else undefined: for git's drivers,
 * which must work (showing less) for a teammate who holds only some keys.
 */
export async function keysIfAvailable(s: Session, doc: VaultDoc, envName: string, env: Environment): Promise<FoundKey["keys"] | undefined> {
  await loadSodium();
  const ctx: KeyContext = { vaultId: doc.id, envName, env, environ: s.environ };
  try {
    return (await resolveKey(ctx)).keys;
  } catch (err) {
    if (err instanceof VaultError) return undefined;
    throw err;
  }
}
