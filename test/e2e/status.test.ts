import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { cleanupAll, PASSPHRASE } from "../support/cli.js";
import { makeFixture, type Fixture } from "../support/fixture.js";

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture();
});
afterAll(cleanupAll);

describe("rotation hygiene", () => {
  it("lists overdue and never-rotated secrets, oldest first, and fails --check only when overdue", async () => {
    const w = fx.fresh();
    expect(w.vault(["set", "OLD_TOKEN", "first-value", "--rotate-every", "1s"]).stderr).toContain("rotate every 1s");
    w.vault(["set", "NO_POLICY", "plain-value"]);
    w.vault(["set", "ROTATED", "v1", "--rotate-every", "90d"]);
    await sleep(1100);
    w.vault(["set", "ROTATED", "v2"]);

    const r = w.vault(["status"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^development {2}OLD_TOKEN {2}overdue by \d+ seconds? \(every 1s, last changed \d{4}-\d\d-\d\d\)$/);
    expect(lines[1]).toMatch(/^development {2}NO_POLICY {2}never rotated \(set \d{4}-\d\d-\d\d, .* ago, no rotation policy\)$/);

    const check = w.vault(["status", "--check"]);
    expect(check.code).toBe(EXIT.OVERDUE);
    expect(check.stderr).toContain("1 secret(s) overdue for rotation");

    w.vault(["set", "OLD_TOKEN", "second-value"]);
    expect(w.vault(["status", "--check"]).code).toBe(0);
  });

  it("keeps the policy and the age of a value through vault rotate", async () => {
    const w = fx.fresh();
    w.vault(["set", "TOKEN", "one-value", "--rotate-every", "1s"]);
    expect(w.vault(["rotate", "--print-key"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(0);
    const key = w.vault(["key", "export"], { env: { VAULT_KEY: undefined, VAULT_PASSPHRASE: PASSPHRASE } }).stdout.trim();
    await sleep(1100);
    expect(w.vault(["status", "--check"], { env: { VAULT_KEY: key } }).code).toBe(EXIT.OVERDUE);
  });

  it("refuses a policy it cannot read", () => {
    const w = fx.fresh();
    const before = w.snapshot();
    const r = w.vault(["set", "X", "value", "--rotate-every", "3 months"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("use a number and a unit: 90d");
    expect(w.snapshot()).toEqual(before);
  });

  it("says which environments it could not check", () => {
    const w = fx.fresh();
    w.vault(["env", "add", "production", "--passphrase", "--same-passphrase"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    expect(w.vault(["status"]).stderr).toContain("production: not checked, no key for it here");
  });
});
