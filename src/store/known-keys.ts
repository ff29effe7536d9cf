import path from "node:path";
import { configDir } from "./config-dir.js";
import { readPrivateFile, writePrivateFile } from "./private-file.js";

/**
 * The key id (and link key) of every environment this user has opened, kept outside the
 * repository, so that a wholesale replacement of an environment can be noticed.
 */
export interface KnownKey {
  keyId: string;
  linkKey: string;
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
  all[slot(vaultId, env)] = known;
  writePrivateFile(file(environ), `${JSON.stringify(all, null, 2)}\n`);
}
