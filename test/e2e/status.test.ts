import { beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { deriveKeys, loadSodium, openValue, parseKeyString, sealValue } from "../../src/crypto/index.js";
import { PASSPHRASE, type Workspace } from "../support/cli.js";
import { reseal } from "../support/environments.js";
import { useFixture } from "../support/fixture.js";
import { rewriteDoc } from "../support/tamper.js";

const fx = useFixture();
beforeAll(async () => {
  await loadSodium();
});

const DAY = 86_400_000;

/**
 * The clock, injected through the data: the value of `name` re-sealed (with the key, as a
 * key holder's machine would have written it) as last changed `daysAgo` days ago. No test
 * waits for a policy to expire, so none races the machine's clock.
 */
function changedDaysAgo(w: Workspace, name: string, daysAgo: number, key = fx.key): void {
  rewriteDoc(w.vaultFile, (doc) => {
    const keys = deriveKeys(parseKeyString(key, "test key").dataKey);
    const env = doc.environments.development!;
    const place = { vaultId: doc.id, env: "development", name };
    const opened = openValue(keys, place, env.secrets[name]!);
    const then = new Date(Date.now() - daysAgo * DAY).toISOString();
    env.secrets[name] = sealValue(keys, place, opened.value, { updated: then, created: then, ...(opened.rotateEvery ? { rotateEvery: opened.rotateEvery } : {}) });
    reseal(doc, "development", keys);
  });
}

describe("rotation hygiene", () => {
  it("lists overdue and never-rotated secrets, oldest first, and fails --check only when overdue", () => {
    const w = fx.fresh();
    expect(w.vault(["set", "OLD_TOKEN", "first-value", "--rotate-every", "30d"]).stderr).toContain("rotate every 30d");
    w.vault(["set", "NO_POLICY", "plain-value"]);
    w.vault(["set", "ROTATED", "v1", "--rotate-every", "90d"]);
    changedDaysAgo(w, "OLD_TOKEN", 45);
    changedDaysAgo(w, "ROTATED", 100);
    w.vault(["set", "ROTATED", "v2"]);

    const r = w.vault(["status"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^development {2}OLD_TOKEN {2}overdue by 15 days \(every 30d, last changed \d{4}-\d\d-\d\d\)$/);
    expect(lines[1]).toMatch(/^development {2}NO_POLICY {2}never rotated \(set \d{4}-\d\d-\d\d, .* ago, no rotation policy\)$/);

    const check = w.vault(["status", "--check"]);
    expect(check.code).toBe(EXIT.OVERDUE);
    expect(check.stderr).toContain("1 secret(s) overdue for rotation");

    w.vault(["set", "OLD_TOKEN", "second-value"]);
    expect(w.vault(["status", "--check"]).code).toBe(0);
  });

  it("keeps the policy and the age of a value through vault rotate", () => {
    const w = fx.fresh();
    w.vault(["set", "TOKEN", "one-value", "--rotate-every", "30d"]);
    changedDaysAgo(w, "TOKEN", 45);
    expect(w.vault(["rotate", "--print-key"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(0);
    const key = w.vault(["key", "export"], { env: { VAULT_KEY: undefined, VAULT_PASSPHRASE: PASSPHRASE } }).stdout.trim();
    const r = w.vault(["status", "--check"], { env: { VAULT_KEY: key } });
    expect(r.code).toBe(EXIT.OVERDUE);
    expect(r.stdout).toContain("TOKEN  overdue by 15 days (every 30d");
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
