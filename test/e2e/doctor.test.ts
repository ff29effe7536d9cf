import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { useFixture } from "../support/fixture.js";
import { gitOk } from "../support/git.js";
import { dropSecret } from "../support/tamper.js";

const fx = useFixture();

describe("vault doctor", () => {
  it("reports what is set up, and what is missing with a fix for each", () => {
    const w = fx.fresh();
    gitOk(w, ["init", "-q"]);
    writeFileSync(path.join(w.dir, ".env"), "LEFTOVER=1\n");
    const r = w.vault(["doctor"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("warn  keychain: Secret Service (D-Bus) not reachable");
    expect(r.stdout).toContain("ok    development: opens with VAULT_KEY, and verifies");
    expect(r.stdout).toMatch(/warn {2}git: merge and diff drivers not set up\n {6}fix: `vault git setup`/);
    expect(r.stdout).toMatch(/warn {2}git: no pre-commit leak guard\n {6}fix: `vault git hook install`/);
    expect(r.stdout).toMatch(/warn {2}plaintext secrets file: \.env\n {6}fix: `vault import \.env`/);

    w.vault(["git", "setup"]);
    w.vault(["git", "hook", "install"]);
    const again = w.vault(["doctor"]);
    expect(again.stdout).toContain("ok    git: diff and merge drivers set up");
    expect(again.stdout).toContain("ok    git: pre-commit leak guard installed");
  });

  it("fails on damage: a committed plaintext .env, a tampered environment", () => {
    const w = fx.fresh();
    gitOk(w, ["init", "-q"]);
    w.vault(["set", "A", "value-a"]);
    w.vault(["set", "B", "value-b"]);
    writeFileSync(path.join(w.dir, ".env.production"), "TOKEN=1\n");
    gitOk(w, ["add", "-f", ".env.production"]);
    dropSecret(w.vaultFile, "B");
    const r = w.vault(["doctor"]);
    expect(r.code).toBe(EXIT.UNHEALTHY);
    expect(r.stdout).toContain("fail  git: .env.production is committed in plaintext");
    expect(r.stdout).toMatch(/fail {2}development: development was modified outside sealenv/);
    expect(r.stderr).toContain("2 problem(s) need fixing");
  });

  it("says when there is no key here", () => {
    const w = fx.fresh();
    const r = w.vault(["doctor"], { env: { VAULT_KEY: undefined } });
    expect(r.stdout).toContain("warn  development: no key here");
  });
});
