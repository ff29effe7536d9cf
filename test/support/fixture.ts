import { copyFileSync } from "node:fs";
import path from "node:path";
import { PASSPHRASE, workspace, type Workspace } from "./cli.js";

/**
 * A vault made once per test file (Argon2id costs seconds), with its development key
 * string; each test copies it into a fresh workspace so tests never share a file.
 */
export interface Fixture {
  vaultFile: string;
  key: string;
  /** A fresh workspace holding a copy of the vault, with VAULT_KEY set to its key. */
  fresh(): Workspace;
}

export function makeFixture(): Fixture {
  const origin = workspace({ VAULT_PASSPHRASE: PASSPHRASE });
  const init = origin.vault(["init", "--passphrase"]);
  if (init.code !== 0) throw new Error(`fixture init failed: ${init.stderr}`);
  const exported = origin.vault(["key", "export"]);
  if (exported.code !== 0) throw new Error(`fixture key export failed: ${exported.stderr}`);
  const key = exported.stdout.trim();
  const vaultFile = path.join(origin.dir, "secrets.vault");
  return {
    vaultFile,
    key,
    fresh() {
      const w = workspace({ VAULT_KEY: key });
      copyFileSync(vaultFile, path.join(w.dir, "secrets.vault"));
      return w;
    },
  };
}
