import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { PASSPHRASE } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";

const fx = useFixture();

const memoryOf = (home: string) => path.join(home, ".config", "sealenv", "known-vaults.json");

describe("what a machine remembers about the vaults it opened", () => {
  it("refuses to work on a damaged memory instead of silently forgetting it", () => {
    const w = fx.fresh();
    expect(w.vault(["set", "A", "value-a"]).code).toBe(0);
    writeFileSync(memoryOf(w.home), "{ not json", { mode: 0o600 });
    const r = w.vault(["get", "A"]);
    expect(r.code).toBe(EXIT.IO);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("known-vaults.json is damaged");
    expect(r.stderr).toContain("vault: hint:");
    expect(readFileSync(memoryOf(w.home), "utf8")).toBe("{ not json");
  });

  it("remembers a rotation at once, so the file from before it is refused right after", () => {
    const w = fx.fresh();
    expect(w.vault(["set", "A", "before"]).code).toBe(0);
    const before = w.file();
    const rotated = w.vault(["rotate", "--print-key"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    expect(rotated.code).toBe(0);
    writeFileSync(path.join(w.dir, "secrets.vault"), before);
    // The old key string still opens the old file; this machine knows a newer generation.
    const r = w.vault(["get", "A"]);
    expect(r.code).toBe(EXIT.ROLLED_BACK);
    expect(r.stdout).toBe("");
    expect(JSON.parse(readFileSync(memoryOf(w.home), "utf8")).keys).toBeTypeOf("object");
  });

  it("accepts a vault re-created here with vault init, and refuses one swapped in by hand until trusted", () => {
    const w = fx.fresh();
    expect(w.vault(["set", "A", "first"]).code).toBe(0);
    const original = w.file();
    const withPassphrase = { env: { VAULT_PASSPHRASE: PASSPHRASE, VAULT_KEY: undefined } };
    rmSync(path.join(w.dir, "secrets.vault"));
    expect(w.vault(["init", "--passphrase"], withPassphrase).code).toBe(0);
    expect(w.vault(["set", "B", "second"], withPassphrase).code).toBe(0);
    const recreated = w.file();
    // Swapping the first vault back in is a different vault id at a place that knows another.
    writeFileSync(path.join(w.dir, "secrets.vault"), original);
    const swapped = w.vault(["get", "A"], withPassphrase);
    expect(swapped.code).toBe(EXIT.REPLACED);
    expect(swapped.stderr).toContain("vault trust");
    expect(w.vault(["trust"], withPassphrase).code).toBe(0);
    expect(w.vault(["get", "A"], withPassphrase).stdout).toBe("first\n");
    writeFileSync(path.join(w.dir, "secrets.vault"), recreated);
    expect(w.vault(["get", "B"], withPassphrase).code).toBe(EXIT.REPLACED);
  });
});
