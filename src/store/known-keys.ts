import path from "node:path";
import { configDir } from "./config-dir.js";
import { readPrivateFile, writePrivateFile } from "./private-file.js";

/**
 * The key id (and link key) of every environment this user has opened, kept outside the
 * repository, so that a wholesale replacement of an environment can be noticed.
 */
export interface KnownKey {
  /** The newest key this user has verified, and its link key. */
  keyId: string;
  linkKey: string;
  /** Every key id verified before: an older checkout (git checkout of last month) is not a replacement. */
  seen?: string[];
}

type KnownKeys = Record<string, KnownKey>;

const file = (environ: NodeJS.ProcessEnv) => path.join(configDir(environ), "known-keys.json");
const slot = (vaultId: string, env: string) => `${vaultId}/${env}`;

function readAll(environ: NodeJS.ProcessEnv): KnownKeys {
  const text = readPrivateFile(file(environ));
  if (!text) return {};
  try {
    return JSON.parse(text) as KnownKeys;
  } catch {
    return {};
  }
}

export function knownKey(environ: NodeJS.ProcessEnv, vaultId: string, env: string): KnownKey | undefined {
  return readAll(environ)[slot(vaultId, env)];
}

export function rememberKnownKey(environ: NodeJS.ProcessEnv, vaultId: string, env: string, known: KnownKey): void {
  const all = readAll(environ);
  const current = all[slot(vaultId, env)];
  if (current && current.keyId === known.keyId && current.linkKey === known.linkKey) return;
  const seen = [...new Set([...(current?.seen ?? []), ...(current ? [current.keyId] : []), known.keyId])];
  all[slot(vaultId, env)] = { ...known, seen };
  writePrivateFile(file(environ), `${JSON.stringify(all, null, 2)}\n`);
}
