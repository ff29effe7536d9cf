import { readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { cleanupAll, vaultAsync } from "../support/cli.js";
import { makeFixture, type Fixture } from "../support/fixture.js";

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture();
});
afterAll(cleanupAll);

const logOf = (home: string) => path.join(home, ".config", "sealenv", "audit.log");

describe("the audit trail", () => {
  it("records who revealed or changed which secrets, never the values, in a 0600 file", () => {
    const w = fx.fresh();
    w.vault(["set", "API_TOKEN", "audit-secret-value"]);
    w.vault(["get", "API_TOKEN"]);
    w.vault(["run", "--", "true"]);
    w.vault(["export", "--format", "json"]);
    w.vault(["rm", "API_TOKEN"]);
    w.vault(["ls"]); // names only: not recorded
    const r = w.vault(["audit", "--json"]);
    expect(r.code).toBe(0);
    const records = JSON.parse(r.stdout) as { command: string; env: string; names: string[]; user: string; vault: string }[];
    expect(records.map((x) => x.command)).toEqual(["set", "get", "run true", "export --format json", "rm"]);
    expect(records.every((x) => x.env === "development" && x.vault === path.join(w.dir, "secrets.vault") && x.user.length > 0)).toBe(true);
    expect(records[1]!.names).toEqual(["API_TOKEN"]);
    const raw = readFileSync(logOf(w.home), "utf8");
    expect(raw).not.toContain("audit-secret-value");
    expect(statSync(logOf(w.home)).mode & 0o777).toBe(0o600);
    expect(w.vault(["audit", "--verify"]).stderr).toContain("the audit log is intact: 5 record(s)");
  });

  it.each([
    ["an edited record", (lines: string[]) => (lines[1] = lines[1]!.replace('"get"', '"ls"'))],
    ["a removed record", (lines: string[]) => lines.splice(1, 1)],
    ["swapped records", (lines: string[]) => ([lines[0], lines[1]] = [lines[1]!, lines[0]!])],
  ])("detects %s", (_what, change) => {
    const w = fx.fresh();
    w.vault(["set", "A", "value-a"]);
    w.vault(["get", "A"]);
    w.vault(["get", "A"]);
    const lines = readFileSync(logOf(w.home), "utf8").trim().split("\n");
    change(lines);
    writeFileSync(logOf(w.home), `${lines.join("\n")}\n`);
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stderr).toMatch(/the audit log was changed at line [12]/);
  });

  it("keeps one unbroken chain when processes append at once", async () => {
    const w = fx.fresh();
    const env = { PATH: process.env.PATH, HOME: w.home, VAULT_KEY: fx.key };
    await Promise.all(Array.from({ length: 8 }, (_, i) => vaultAsync(["set", `K${i}`], w.dir, env, `value-${i}`).done));
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("8 record(s)");
  });
});
