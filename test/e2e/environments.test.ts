import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { PASSPHRASE, workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";

const fx = useFixture();

const withPassphrase = { env: { VAULT_PASSPHRASE: PASSPHRASE } };

describe("environments", () => {
  it("keeps each environment's secrets apart, each under its own key", () => {
    const w = fx.fresh();
    expect(w.vault(["env", "add", "production", "--passphrase", "--same-passphrase"], withPassphrase).code).toBe(0);
    w.vault(["set", "DB", "dev-db"]);
    w.vault(["set", "DB", "prod-db", "--env", "production"], withPassphrase);
    expect(w.vault(["get", "DB"]).stdout).toBe("dev-db\n");
    expect(w.vault(["get", "DB", "--env", "production"], withPassphrase).stdout).toBe("prod-db\n");
    const doc = JSON.parse(w.file());
    expect(doc.environments.production.keyId).not.toBe(doc.environments.development.keyId);
    // The development key opens nothing in production.
    const r = w.vault(["get", "DB", "--env", "production"]);
    expect(r.code).toBe(EXIT.OTHER_ENV_KEY);
  });

  it("refuses to give a new environment a passphrase that already opens another, unless told to share it", () => {
    const w = fx.fresh();
    const before = w.snapshot();
    const reused = w.vault(["env", "add", "production", "--passphrase"], withPassphrase);
    expect(reused.code).toBe(EXIT.USAGE);
    expect(reused.stderr).toContain("that passphrase already opens development");
    expect(reused.stderr).toContain("--same-passphrase");
    expect(w.snapshot()).toEqual(before);
    // Its own passphrase, by its own variable (tried before VAULT_PASSPHRASE), is fine.
    const own = { env: { VAULT_PASSPHRASE: PASSPHRASE, VAULT_PASSPHRASE_PRODUCTION: "production's own passphrase" } };
    expect(w.vault(["env", "add", "production", "--passphrase"], own).code).toBe(0);
    expect(w.vault(["set", "DB", "prod-db", "--env", "production"], own).code).toBe(0);
    expect(w.vault(["get", "DB", "--env", "production"], withPassphrase).code).toBe(EXIT.WRONG_KEY);
    expect(w.vault(["env", "add", "staging", "--passphrase", "--same-passphrase"], withPassphrase).code).toBe(0);
  });

  it("member rm re-wraps each environment's passphrase slot with that environment's own passphrase", () => {
    const w = fx.fresh();
    const own = "production's own passphrase";
    const both = { VAULT_PASSPHRASE_DEVELOPMENT: PASSPHRASE, VAULT_PASSPHRASE_PRODUCTION: own };
    expect(w.vault(["env", "add", "production", "--passphrase"], { env: both }).code).toBe(0);
    w.vault(["set", "X", "prod-x", "--env", "production"], { env: both });
    const bob = workspace();
    const recipient = bob.vault(["identity", "new"]).stdout.trim();
    expect(w.vault(["member", "add", "bob", recipient, "--env", "development,production"], { env: both }).code).toBe(0);
    const removed = w.vault(["member", "rm", "bob"], { env: { ...both, VAULT_KEY: undefined } });
    expect(removed.code, removed.stderr).toBe(0);
    // Each environment still opens with its own passphrase, and only with it.
    const only = (passphrase: string) => ({ env: { VAULT_KEY: undefined, VAULT_PASSPHRASE: passphrase } });
    expect(w.vault(["get", "X", "--env", "production"], only(own)).stdout).toBe("prod-x\n");
    expect(w.vault(["get", "X", "--env", "production"], only(PASSPHRASE)).code).toBe(EXIT.WRONG_KEY);
    expect(w.vault(["export"], only(PASSPHRASE)).code).toBe(0);
    expect(w.vault(["export"], only(own)).code).toBe(EXIT.WRONG_KEY);
  });

  it("picks the environment from --env, then VAULT_ENV, then the default", () => {
    const w = fx.fresh();
    w.vault(["env", "add", "staging", "--passphrase", "--same-passphrase"], withPassphrase);
    w.vault(["set", "WHERE", "staging"], { env: { VAULT_ENV: "staging", VAULT_PASSPHRASE: PASSPHRASE } });
    expect(w.vault(["ls", "--env", "staging"]).stdout).toBe("WHERE\n");
    expect(w.vault(["ls"], { env: { VAULT_ENV: "staging" } }).stdout).toBe("WHERE\n");
    expect(w.vault(["ls"]).stdout).toBe("");
    expect(w.vault(["ls", "--env", "development"], { env: { VAULT_ENV: "staging" } }).stdout).toBe("");
  });

  it("lists environments, marking the default", () => {
    const w = fx.fresh();
    w.vault(["env", "add", "staging", "--passphrase", "--same-passphrase"], withPassphrase);
    expect(w.vault(["env", "ls"]).stdout).toBe("development (default)\nstaging\n");
    expect(JSON.parse(w.vault(["env", "ls", "--json"]).stdout)).toEqual([
      { name: "development", default: true, secrets: 0 },
      { name: "staging", default: false, secrets: 0 },
    ]);
  });

  it("refuses an unknown environment with the list of known ones", () => {
    const w = fx.fresh();
    const r = w.vault(["get", "A", "--env", "prod"]);
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toContain("no environment prod in this vault (it has: development)");
    expect(r.stderr).toContain("vault env add prod");
  });

  it("refuses an invalid environment name and writes nothing", () => {
    const w = fx.fresh();
    const before = w.snapshot();
    const r = w.vault(["env", "add", "Prod!", "--passphrase", "--same-passphrase"], withPassphrase);
    expect(r.code).toBe(EXIT.USAGE);
    expect(w.snapshot()).toEqual(before);
  });

  it("refuses to add an environment twice", () => {
    const w = fx.fresh();
    expect(w.vault(["env", "add", "development", "--passphrase", "--same-passphrase"], withPassphrase).code).toBe(EXIT.EXISTS);
  });

  it("removes an environment only with --yes when it holds secrets, and never the default", () => {
    const w = fx.fresh();
    w.vault(["env", "add", "staging", "--passphrase", "--same-passphrase"], withPassphrase);
    w.vault(["set", "A", "1", "--env", "staging"], withPassphrase);
    const refused = w.vault(["env", "rm", "staging"]);
    expect(refused.code).toBe(EXIT.USAGE);
    expect(refused.stderr).toContain("--yes");
    expect(w.vault(["env", "rm", "staging", "--yes"]).code).toBe(0);
    expect(w.vault(["env", "ls"]).stdout).toBe("development (default)\n");
    expect(w.vault(["env", "rm", "development", "--yes"]).code).toBe(EXIT.USAGE);
  });

  it("changes the default environment, with the keys of both (the default is under their MACs)", () => {
    const w = fx.fresh();
    w.vault(["env", "add", "staging", "--passphrase", "--same-passphrase"], withPassphrase);
    const before = w.file();
    // VAULT_KEY holds only the development key here.
    const refused = w.vault(["env", "default", "staging"]);
    expect(refused.code).toBe(EXIT.OTHER_ENV_KEY);
    expect(w.file()).toBe(before);
    expect(w.vault(["env", "default", "staging"], withPassphrase).code).toBe(0);
    expect(w.vault(["env", "ls"]).stdout).toBe("development\nstaging (default)\n");
    // Both environments were re-sealed for their new roles and still verify.
    expect(w.vault(["set", "A", "dev-value", "--env", "development"]).code).toBe(0);
    expect(w.vault(["get", "A", "--env", "development"]).stdout).toBe("dev-value\n");
    expect(w.vault(["set", "B", "staging-value"], withPassphrase).code).toBe(0);
    expect(w.vault(["get", "B"], withPassphrase).stdout).toBe("staging-value\n");
  });
});
