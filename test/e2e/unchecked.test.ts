/**
 * A check that could not run must not report success. A developer (or a CI job) holds the
 * development key but not production's: the leak guard, `scan --history`, `status --check`
 * and `doctor` each name production as not checked and fail closed (exit 23), unless told
 * that skipping it is intended; with the production key, the same checks see production.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { PASSPHRASE, type Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { gitIn, gitOk } from "../support/git.js";

const fx = useFixture();
const PROD_VALUE = "prod-token-7f3a9c21e5";
const PROD_PASSPHRASE = "production passphrase, long enough";

/** A repository whose vault has development (VAULT_KEY in the workspace) and production (a passphrase not set here). */
let template: { vault: string; productionKey: string };
beforeAll(() => {
  const w = fx.fresh();
  expect(w.vault(["env", "add", "production", "--passphrase"], { env: { VAULT_PASSPHRASE: PROD_PASSPHRASE } }).code).toBe(0);
  expect(w.vault(["set", "TOKEN", PROD_VALUE, "--env", "production"], { env: { VAULT_PASSPHRASE: PROD_PASSPHRASE } }).code).toBe(0);
  expect(w.vault(["set", "DEV_TOKEN", "dev-token-0b1c2d3e4f"]).code).toBe(0);
  const key = w.vault(["key", "export", "--env", "production"], { env: { VAULT_PASSPHRASE: PROD_PASSPHRASE } });
  expect(key.code).toBe(0);
  template = { vault: w.file(), productionKey: key.stdout.trim() };
});

function repo(): Workspace {
  const w = fx.fresh();
  writeFileSync(path.join(w.dir, "secrets.vault"), template.vault);
  gitOk(w, ["init", "-q", "-b", "main"]);
  expect(w.vault(["git", "setup"]).code).toBe(0);
  gitOk(w, ["add", "-A"]);
  gitOk(w, ["commit", "-qm", "base"]);
  expect(w.vault(["git", "hook", "install"]).code).toBe(0);
  return w;
}

const withProduction = { VAULT_PASSPHRASE_PRODUCTION: PROD_PASSPHRASE };
/** Scans never hash a passphrase (they run unasked): CI gives them key strings. */
const withProductionKey = () => ({ VAULT_KEY_PRODUCTION: template.productionKey });
const encoded = Buffer.from(PROD_VALUE).toString("base64");

describe("without the production key", () => {
  it("the pre-commit guard refuses a commit it could not fully check, naming production; a repository setting or the key decides", () => {
    const w = repo();
    writeFileSync(path.join(w.dir, "config.yml"), `token: ${encoded}\n`);
    gitOk(w, ["add", "config.yml"]);

    const guard = w.vault(["scan", "--staged"]);
    expect({ code: guard.code, stdout: guard.stdout }).toEqual({ code: EXIT.UNCHECKED, stdout: "" });
    expect(guard.stderr).toContain("production: not checked, its values were not searched for (no key for it here)");
    expect(guard.stderr).toMatch(/^vault: error: the leak guard could not check production/m);
    expect(guard.stderr).not.toContain("no secrets found");
    // Through git itself: the commit does not happen.
    const refused = gitIn(w, ["commit", "-qm", "config"]);
    expect(refused.code).not.toBe(0);
    expect(gitOk(w, ["log", "--oneline"]).trim().split("\n")).toHaveLength(1);

    // With production's key, the guard sees the base64 form of its value.
    const seen = w.vault(["scan", "--staged"], { env: withProductionKey() });
    expect(seen.code).toBe(EXIT.LEAK);
    expect(seen.stderr).toContain("config.yml:1: TOKEN (production, base64)");

    // Said once for this repository (a developer who will never hold production), it passes, saying what it skipped.
    gitOk(w, ["config", "sealenv.allowUnchecked", "true"]);
    const allowed = w.vault(["scan", "--staged"]);
    expect(allowed.code).toBe(0);
    expect(allowed.stderr).toContain("production: not checked");
    expect(allowed.stderr).toContain("(values of development searched for)");
  });

  it("scan --history fails closed; --allow-unchecked and VAULT_ALLOW_UNCHECKED pass", () => {
    const w = repo();
    const r = w.vault(["scan", "--history"]);
    expect(r.code).toBe(EXIT.UNCHECKED);
    expect(r.stderr).toContain("the scan could not check production");
    expect(w.vault(["scan", "--history", "--allow-unchecked"]).code).toBe(0);
    expect(w.vault(["scan", "--history"], { env: { VAULT_ALLOW_UNCHECKED: "1" } }).code).toBe(0);
    expect(w.vault(["scan", "--history"], { env: withProductionKey() }).code).toBe(0);
  });

  it("status --check fails closed; a plain status just says what it did not check", () => {
    const w = repo();
    const gate = w.vault(["status", "--check"]);
    expect(gate.code).toBe(EXIT.UNCHECKED);
    expect(gate.stderr).toContain("production: not checked, no key for it here");
    expect(gate.stderr).toMatch(/^vault: error: vault status --check could not check production/m);
    const look = w.vault(["status"]);
    expect(look.code).toBe(0);
    expect(look.stderr).toContain("production: not checked, no key for it here");
    expect(w.vault(["status", "--check", "--allow-unchecked"]).code).toBe(0);
    expect(w.vault(["status", "--check"], { env: withProduction }).code).toBe(0);
  });

  it("doctor fails closed, and its hint for a passphrase environment mentions the passphrase", () => {
    const w = repo();
    const r = w.vault(["doctor"]);
    expect(r.code).toBe(EXIT.UNCHECKED);
    expect(r.stdout).toContain("production: no key here, so it was not checked");
    expect(r.stdout).toContain("it has a passphrase: type it");
    expect(r.stdout).toContain("VAULT_PASSPHRASE_PRODUCTION");
    expect(w.vault(["doctor", "--allow-unchecked"]).code).toBe(0);
    const all = w.vault(["doctor"], { env: withProduction });
    expect(all.code, all.stdout + all.stderr).toBe(0);
    expect(all.stdout).toContain("production: opens with VAULT_PASSPHRASE_PRODUCTION, and verifies");
  });
});

describe("VAULT_PASSPHRASE_<ENV>", () => {
  it("is tried before VAULT_PASSPHRASE for its environment, and never reaches the child of vault run", () => {
    const w = repo();
    const env = { ...withProduction, VAULT_PASSPHRASE: "the wrong passphrase entirely" };
    const got = w.vault(["get", "TOKEN", "--env", "production"], { env });
    expect(got.stdout).toBe(`${PROD_VALUE}\n`);
    const child = w.vault(["run", "--env", "production", "--", process.execPath, "-e", "process.stdout.write(Object.keys(process.env).filter((n) => n.startsWith('VAULT_')).join(','))"], { env });
    expect(child.code).toBe(0);
    expect(child.stdout).toBe("");
    expect(w.vault(["get", "TOKEN", "--env", "production"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(EXIT.WRONG_KEY);
  });
});
