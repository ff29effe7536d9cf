import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { PASSPHRASE, workspace, type Workspace } from "../support/cli.js";
import { useWorkspaces } from "../support/fixture.js";
import { startKeyring, type Keyring } from "../support/keyring.js";
import { onTerminal } from "../support/terminal.js";

useWorkspaces();
let keyring: Keyring;
beforeAll(async () => {
  keyring = await startKeyring();
});
afterAll(async () => {
  await keyring?.stop();
});

/** A workspace whose commands see the real Secret Service. */
function desktop(): Workspace {
  return workspace({ DBUS_SESSION_BUS_ADDRESS: keyring.address });
}

describe("the OS keychain (real gnome-keyring)", () => {
  it("keeps the key of a new vault, so no variable or passphrase is needed", () => {
    const w = desktop();
    const init = w.vault(["init", "--keychain"]);
    expect(init.code).toBe(0);
    expect(init.stderr).toContain("vault key export");
    expect(JSON.parse(w.file()).environments.development.slots).toEqual([]);
    expect(w.vault(["set", "TOKEN", "from-keychain"]).code).toBe(0);
    expect(w.vault(["get", "TOKEN"]).stdout).toBe("from-keychain\n");
    expect(w.vault(["run", "--", "sh", "-c", 'printf %s "$TOKEN"']).stdout).toBe("from-keychain");
  });

  it("chooses the keychain by default when nothing else is said", () => {
    const w = desktop();
    expect(w.vault(["init"]).code).toBe(0);
    expect(w.vault(["set", "A", "1"]).code).toBe(0);
    expect(w.vault(["get", "A"]).stdout).toBe("1\n");
  });

  it("forgets the key, then takes it back from a key string on stdin", () => {
    const w = desktop();
    w.vault(["init", "--keychain"]);
    w.vault(["set", "A", "1"]);
    const key = w.vault(["key", "export"]).stdout.trim();
    expect(key).toMatch(/^sealenv-key-1:development:/);

    const refused = w.vault(["key", "forget"]);
    expect(refused.code).toBe(EXIT.USAGE);
    expect(refused.stderr).toContain("no passphrase or member slot");

    expect(w.vault(["key", "forget", "--yes"]).code).toBe(0);
    const locked = w.vault(["get", "A"]);
    expect(locked.code).toBe(EXIT.NO_KEY);
    expect(locked.stderr).toContain("the OS keychain: no key stored");

    const imported = w.vault(["key", "import"], { input: `${key}\n` });
    expect(imported.code).toBe(0);
    expect(w.vault(["get", "A"]).stdout).toBe("1\n");
  });

  it("refuses to import a key that does not belong to the vault", () => {
    const w = desktop();
    w.vault(["init", "--keychain"]);
    const other = desktop();
    other.vault(["init", "--keychain"]);
    const foreign = other.vault(["key", "export"]).stdout;
    const r = w.vault(["key", "import"], { input: foreign });
    expect(r.code).toBe(EXIT.WRONG_KEY);
  });

  it("updates the keychain on rotation; a copied old key becomes stale", () => {
    const w = desktop();
    w.vault(["init", "--keychain"]);
    w.vault(["set", "A", "before"]);
    const oldKey = w.vault(["key", "export"]).stdout.trim();
    const r = w.vault(["rotate"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("the OS keychain holds the new key");
    expect(w.vault(["get", "A"]).stdout).toBe("before\n");
    const stale = w.vault(["get", "A"], { env: { VAULT_KEY: oldKey } });
    expect(stale.code).toBe(EXIT.STALE_KEY);
  });

  it("says the keychain holds a stale key when a teammate rotated", () => {
    const w = desktop();
    w.vault(["init", "--keychain", "--passphrase"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    w.vault(["set", "A", "1"]);
    const before = w.file();
    // The teammate's rotation arrives through git: the file changes, our keychain does not.
    const mate = workspace();
    writeFileSync(`${mate.dir}/secrets.vault`, before);
    expect(mate.vault(["rotate"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(0);
    writeFileSync(`${w.dir}/secrets.vault`, mate.file());
    const r = w.vault(["get", "A"]);
    expect(r.code).toBe(EXIT.STALE_KEY);
    expect(r.stderr).toContain("from before a rotation");
    expect(w.vault(["get", "A"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).stdout).toBe("1\n");
  });

  it("keeps a new identity in the keychain, not in a file, and opens member slots with it", () => {
    // The owner keeps no data key in this (shared) keyring, so only the identity can open it.
    const owner = desktop();
    const withPassphrase = { env: { VAULT_PASSPHRASE: PASSPHRASE } };
    owner.vault(["init", "--passphrase"], withPassphrase);
    owner.vault(["set", "SHARED", "for-the-team"], withPassphrase);
    const mate = desktop();
    const created = mate.vault(["identity", "new"]);
    expect(created.code).toBe(0);
    expect(created.stderr).toContain("the OS keychain");
    expect(existsSync(path.join(mate.home, ".config", "sealenv", "identity"))).toBe(false);
    expect(owner.vault(["member", "add", "mate", created.stdout.trim()], withPassphrase).code).toBe(0);
    expect(mate.vault(["get", "SHARED"], { cwd: owner.dir }).stdout).toBe("for-the-team\n");
  });

  it("offers to remember the key after a typed passphrase, then stops asking", async () => {
    const w = desktop();
    w.vault(["init", "--passphrase"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    w.vault(["set", "A", "typed-once"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    const env = { ...w.env, TERM: "xterm" };
    const first = await onTerminal(["get", "A"], w.dir, env, [
      { expect: "Passphrase for development", send: `${PASSPHRASE}\r` },
      { expect: "Remember the development key", send: "y\r" },
    ]);
    expect(first.code).toBe(0);
    expect(first.screen).toContain("typed-once");
    const second = await onTerminal(["get", "A"], w.dir, env, []);
    expect(second.code).toBe(0);
    expect(second.screen).not.toContain("Passphrase for");
    expect(second.screen).toContain("typed-once");
  });

  it("adds an environment whose key lives in the keychain", () => {
    const w = desktop();
    w.vault(["init", "--keychain"]);
    expect(w.vault(["env", "add", "production"]).code).toBe(0);
    expect(w.vault(["set", "DB_URL", "postgres://prod", "--env", "production"]).code).toBe(0);
    expect(w.vault(["get", "DB_URL"], { env: { VAULT_ENV: "production" } }).stdout).toBe("postgres://prod\n");
    expect(w.vault(["get", "DB_URL"]).code).toBe(EXIT.NOT_FOUND);
  });
});
