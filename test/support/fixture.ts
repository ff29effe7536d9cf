import { copyFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { beginTestWorkspaces, cleanupAll, endTestWorkspaces, PASSPHRASE, workspace, type Workspace } from "./cli.js";

/**
 * The furniture of an end-to-end or reliability test file. Each test's workspaces (a temp
 * folder with a HOME of its own, see cli.ts) are its own and removed when it ends; those
 * made in beforeAll, when the file ends. With a vault: made once per file (Argon2id costs
 * seconds), with its development key string; each test copies it into a fresh workspace,
 * so tests never share a file.
 */
export interface Fixture {
  vaultFile: string;
  key: string;
  /** A fresh workspace holding a copy of the vault, with VAULT_KEY set to its key. */
  fresh(): Workspace;
}

/** A vault made now, by `vault init --passphrase` in a workspace of its own. */
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

/** For a file that makes its own vaults: each test's workspaces are removed when it ends, the rest when the file ends. */
export function useWorkspaces(): void {
  beforeEach(beginTestWorkspaces);
  afterEach(endTestWorkspaces);
  afterAll(cleanupAll);
}

/** The file's fixture vault, made in beforeAll (usable from hooks registered after this call, and in tests), with useWorkspaces. */
export function useFixture(): Fixture {
  useWorkspaces();
  let made: Fixture | undefined;
  beforeAll(() => {
    made = makeFixture();
  });
  const the = (): Fixture => {
    if (!made) throw new Error("the fixture vault is made in beforeAll: use it in a later hook or in a test");
    return made;
  };
  return {
    get vaultFile() {
      return the().vaultFile;
    },
    get key() {
      return the().key;
    },
    fresh: () => the().fresh(),
  };
}
