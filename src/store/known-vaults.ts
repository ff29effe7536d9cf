import { accessSync, constants, mkdirSync, realpathSync } from "node:fs";
import path from "node:path";
import { VaultError } from "../errors.js";
import { configDir } from "./config-dir.js";
import { withLock } from "./lock.js";
import { readPrivateFile, writePrivateFile } from "./private-file.js";

/**
 * What this machine has verified, kept outside any repository (0600): which vault id lives
 * at each vault file's location, and per vault and environment the newest key it opened
 * (generation, key id, signer). Holds no secret. A file that does not parse is an error,
 * never a silent reset: forgetting would accept a rollback or replacement next time.
 */
export interface KnownKey {
  generation: number;
  keyId: string;
  signer: string;
  /** Its history holds keys it cannot order (a fork, or keys from unrelated histories): nothing is taken on trust. */
  contested?: Contest;
  /** Taken from the vault's git history alone; never opened here. */
  learned?: true;
  /** For a learned key: the commit it was learned at. Versions in its ancestry are its past, not rivals. */
  seenAt?: string;
  /** Learned in the walk that found it (or its place) contested: forgotten with that contest once a rewrite removes it. */
  provisional?: true;
}

/** What history holds that it cannot settle, and the commit that brought it (gone after a rewrite, it no longer stands). */
export interface Contest {
  why: string;
  at: string;
}

export interface KnownVaults {
  /** Real path of a vault file -> the id of the vault this machine found there. */
  locations: Record<string, string>;
  /** Real path of a vault file -> its default environment when this machine last used it as such. */
  defaults: Record<string, string>;
  /** Real path of a vault file -> the commit whose history this machine last learned from. */
  heads: Record<string, string>;
  /** Real path of a vault file -> why its history cannot say which vault lives there (two vault ids). */
  contested: Record<string, Contest>;
  /** "<vault id>/<environment>" -> the newest key verified. */
  keys: Record<string, KnownKey>;
}

const VERSION = 1;
const fileOf = (environ: NodeJS.ProcessEnv) => path.join(configDir(environ), "known-vaults.json");
/**
 * Keys are remembered per vault location (per repository, as the brief says), not per
 * vault id: an id is public, so a vault elsewhere carrying it must not speak for this one.
 */
export const knownKeyName = (location: string, env: string) => `${location}#${env}`;

/** The location a vault's id is remembered under: its real path, so a symlinked folder is the same place. */
export function vaultLocation(file: string): string {
  try {
    return realpathSync(file);
  } catch {
    return path.resolve(file);
  }
}

export function readKnownVaults(environ: NodeJS.ProcessEnv): KnownVaults {
  const file = fileOf(environ);
  const text = readPrivateFile(file);
  const empty: KnownVaults = {
    locations: Object.create(null) as Record<string, string>,
    defaults: Object.create(null) as Record<string, string>,
    heads: Object.create(null) as Record<string, string>,
    contested: Object.create(null) as Record<string, Contest>,
    keys: Object.create(null) as Record<string, KnownKey>,
  };
  if (text === undefined) return empty;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = undefined;
  }
  const doc = raw as { version?: unknown; locations?: unknown; defaults?: unknown; heads?: unknown; contested?: unknown; keys?: unknown } | undefined;
  const optional = (v: unknown) => v === undefined || isRecord(v);
  if (!doc || doc.version !== VERSION || !isRecord(doc.locations) || !isRecord(doc.keys) || !optional(doc.defaults) || !optional(doc.heads) || !optional(doc.contested)) {
    throw new VaultError(
      "io",
      `${file} is damaged: it records which vaults and keys this machine has verified`,
      `restore it from a backup; deleting it makes this machine accept whatever it opens next (then \`vault doctor\`)`,
    );
  }
  Object.assign(empty.locations, doc.locations);
  Object.assign(empty.defaults, doc.defaults ?? {});
  Object.assign(empty.heads, doc.heads ?? {});
  Object.assign(empty.contested, doc.contested ?? {});
  Object.assign(empty.keys, doc.keys);
  return empty;
}

/**
 * Applies `change` to the file under its lock (two `vault run`s at once must not lose each
 * other's record) and writes it only if something changed. A read-only HOME (some CI
 * runners) is not an error: the check just cannot remember there.
 */
export async function updateKnownVaults(environ: NodeJS.ProcessEnv, change: (known: KnownVaults) => boolean): Promise<void> {
  const file = fileOf(environ);
  if (!writableFolder(path.dirname(file))) return;
  await withLock(file, () => {
    const known = readKnownVaults(environ);
    if (change(known)) writePrivateFile(file, `${JSON.stringify({ version: VERSION, ...known }, null, 2)}\n`);
  });
}

function writableFolder(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
