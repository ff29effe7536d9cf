import { writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { deriveKeys, loadSodium, parseKeyString } from "../../src/crypto/index.js";
import { PASSPHRASE } from "../support/cli.js";
import { reseal } from "../support/environments.js";
import { makeFixture, useFixture } from "../support/fixture.js";
import { editByHand, rewriteDoc } from "../support/tamper.js";

const fx = useFixture();
beforeAll(async () => {
  await loadSodium();
});

describe("key strings", () => {
  it("VAULT_KEY_<ENV> wins over VAULT_KEY", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    const r = w.vault(["get", "A"], { env: { VAULT_KEY: "garbage", VAULT_KEY_DEVELOPMENT: fx.key } });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("1\n");
  });

  it("reports a key cut short as a bad key string, with its variable", () => {
    const w = fx.fresh();
    const r = w.vault(["get", "A"], { env: { VAULT_KEY: fx.key.slice(0, -3) } });
    expect(r.code).toBe(EXIT.BAD_KEY_STRING);
    expect(r.stderr).toContain("VAULT_KEY is not a valid sealenv key");
  });

  it("reports a key for another environment as such", () => {
    const w = fx.fresh();
    expect(w.vault(["env", "add", "staging", "--passphrase", "--same-passphrase"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(0);
    const stagingKey = w.vault(["key", "export", "--env", "staging"], { env: { VAULT_KEY: undefined, VAULT_PASSPHRASE: PASSPHRASE } }).stdout.trim();
    const r = w.vault(["get", "A"], { env: { VAULT_KEY: stagingKey } });
    expect(r.code).toBe(EXIT.OTHER_ENV_KEY);
    expect(r.stderr).toContain("VAULT_KEY holds the key for staging, not development");
    expect(r.stderr).toContain("--env staging");
  });

  it("reports a key from another vault as a wrong key", () => {
    const w = fx.fresh();
    const other = makeFixture();
    const r = w.vault(["get", "A"], { env: { VAULT_KEY: other.key } });
    expect(r.code).toBe(EXIT.WRONG_KEY);
    expect(r.stderr).toContain("does not belong to this vault's development environment");
  });

  it("reports a key from before a rotation as stale", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "before"]);
    const rotated = w.vault(["rotate", "--print-key"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    expect(rotated.code).toBe(0);
    const newKey = rotated.stdout.trim();
    expect(newKey).not.toBe(fx.key);
    const stale = w.vault(["get", "A"]);
    expect(stale.code).toBe(EXIT.STALE_KEY);
    expect(stale.stderr).toContain("holds an old key for development");
    expect(w.vault(["get", "A"], { env: { VAULT_KEY: newKey } }).stdout).toBe("before\n");
    // The passphrase slot was re-wrapped to the new key.
    expect(w.vault(["get", "A"], { env: { VAULT_KEY: undefined, VAULT_PASSPHRASE: PASSPHRASE } }).stdout).toBe("before\n");
  });

  it("re-encrypts every value on rotation", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    const before = JSON.parse(w.file()).environments.development.secrets.A;
    w.vault(["rotate", "--print-key"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    expect(JSON.parse(w.file()).environments.development.secrets.A).not.toBe(before);
  });

  it("refuses to rotate when the new key would be kept nowhere, and changes nothing", () => {
    const w = fx.fresh();
    // Keychain-only environment (no slot) on a machine without a keychain, as its key holder would leave it.
    rewriteDoc(w.vaultFile, (doc) => {
      doc.environments.development!.slots = [];
      reseal(doc, "development", deriveKeys(parseKeyString(fx.key, "the fixture").dataKey));
    });
    const before = w.snapshot();
    const r = w.vault(["rotate"]);
    expect(r.code).toBe(EXIT.KEYCHAIN_UNAVAILABLE);
    expect(r.stderr).toContain("nowhere to keep the new development key");
    expect(r.stderr).toContain("--print-key");
    expect(w.snapshot()).toEqual(before);
    const printed = w.vault(["rotate", "--print-key"]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^sealenv-key-1:development:/);
  });
});

describe("passphrases", () => {
  it("opens the environment with VAULT_PASSPHRASE", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    expect(w.vault(["get", "A"], { env: { VAULT_KEY: undefined, VAULT_PASSPHRASE: PASSPHRASE } }).stdout).toBe("1\n");
  });

  it("opens the environment with VAULT_PASSPHRASE_FILE, ignoring its trailing newline", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    const file = path.join(w.home, "pass");
    writeFileSync(file, `${PASSPHRASE}\n`, { mode: 0o600 });
    expect(w.vault(["get", "A"], { env: { VAULT_KEY: undefined, VAULT_PASSPHRASE_FILE: file } }).stdout).toBe("1\n");
  });

  it("reports a wrong passphrase as a wrong key", () => {
    const w = fx.fresh();
    const r = w.vault(["get", "A"], { env: { VAULT_KEY: undefined, VAULT_PASSPHRASE: "not the right one at all" } });
    expect(r.code).toBe(EXIT.WRONG_KEY);
    expect(r.stderr).toContain("VAULT_PASSPHRASE does not open development: wrong passphrase");
  });
});

describe("no key at all", () => {
  it("lists what it tried and what to do, without a stack trace", () => {
    const w = fx.fresh();
    const r = w.vault(["get", "A"], { env: { VAULT_KEY: undefined } });
    expect(r.code).toBe(EXIT.NO_KEY);
    expect(r.stderr).toContain("VAULT_KEY_DEVELOPMENT: not set");
    expect(r.stderr).toContain("the OS keychain: no keychain on this machine");
    expect(r.stderr).toContain("no terminal to ask on");
    expect(r.stderr).toMatch(/^vault: hint: set VAULT_KEY_DEVELOPMENT/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("says there is no keychain when a keychain-only environment cannot be opened", () => {
    const w = fx.fresh();
    // A keychain-only environment cannot be created without a keychain, so strip the slot by hand.
    editByHand(w.vaultFile, (doc) => {
      doc.environments.development!.slots = [];
    });
    const r = w.vault(["get", "A"], { env: { VAULT_KEY: undefined } });
    expect(r.code).toBe(EXIT.KEYCHAIN_UNAVAILABLE);
    expect(r.stderr).toContain("no keychain on this machine");
    expect(r.stderr).toMatch(/hint: on a headless machine, set VAULT_KEY_DEVELOPMENT/);
  });
});
