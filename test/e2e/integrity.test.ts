import { spawnSync } from "node:child_process";
import { chmodSync, readdirSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { BIN, PASSPHRASE, workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { copyCiphertext, dropSecret, editLines, flipCiphertext, putCiphertext, setFormatVersion } from "../support/tamper.js";

const fx = useFixture();

describe("integrity", () => {
  it("reports a modified ciphertext as a modified file, never as a wrong value", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    flipCiphertext(w.vaultFile, "A");
    const r = w.vault(["get", "A"]);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/modified/);
  });

  it("reports a ciphertext moved to another name", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "alpha"]);
    w.vault(["set", "B", "beta"]);
    copyCiphertext(w.vaultFile, { name: "A" }, { name: "B" });
    const r = w.vault(["get", "B"]);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stdout).toBe("");
  });

  it("reports a ciphertext moved to another environment", () => {
    const w = fx.fresh();
    w.vault(["env", "add", "staging", "--passphrase", "--same-passphrase"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    w.vault(["set", "A", "dev-value"]);
    copyCiphertext(w.vaultFile, { name: "A" }, { env: "staging", name: "A" });
    const r = w.vault(["get", "A", "--env", "staging"], { env: { VAULT_KEY: undefined, VAULT_PASSPHRASE: PASSPHRASE } });
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stdout).toBe("");
  });

  it("reports a removed entry", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    w.vault(["set", "B", "2"]);
    dropSecret(w.vaultFile, "B");
    const r = w.vault(["get", "A"]);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stderr).toContain("development was modified outside sealenv");
  });

  it("reports a value rolled back to an older ciphertext", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "old"]);
    const old = JSON.parse(w.file()).environments.development.secrets.A;
    w.vault(["set", "A", "new"]);
    putCiphertext(w.vaultFile, "A", old);
    expect(w.vault(["get", "A"]).code).toBe(EXIT.INTEGRITY);
  });

  it("does not write over a tampered environment", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    w.vault(["set", "B", "2"]);
    dropSecret(w.vaultFile, "B");
    const before = w.snapshot();
    expect(w.vault(["set", "C", "3"]).code).toBe(EXIT.INTEGRITY);
    expect(w.snapshot()).toEqual(before);
  });
});

describe("writes", () => {
  it("keeps the ciphertext of values that did not change", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    w.vault(["set", "B", "2"]);
    const before = JSON.parse(w.file()).environments.development.secrets;
    w.vault(["set", "C", "3"]);
    w.vault(["set", "A", "1"]);
    w.vault(["rm", "C"]);
    const after = JSON.parse(w.file()).environments.development.secrets;
    expect(after).toEqual(before);
  });

  it("changes one line of the file per changed secret", () => {
    const w = fx.fresh();
    for (const n of ["A", "B", "C", "D"]) w.vault(["set", n, n]);
    const before = w.file().split("\n");
    w.vault(["set", "C", "changed"]);
    const after = w.file().split("\n");
    expect(after.length).toBe(before.length);
    const changed = after.filter((line, i) => line !== before[i]);
    // The secret's line and the environment's MAC.
    expect(changed).toHaveLength(2);
    expect(changed[0]).toMatch(/^\s+"C": /);
    expect(changed[1]).toMatch(/^\s+"mac": /);
  });

  it("keeps the vault file's permissions: a 0600 vault stays 0600, whatever the umask", () => {
    const w = fx.fresh();
    const file = path.join(w.dir, "secrets.vault");
    const modeOf = () => statSync(file).mode & 0o777;
    for (const [mode, umask] of [[0o600, "022"], [0o640, "077"], [0o664, "022"], [0o644, "077"]] as const) {
      chmodSync(file, mode);
      const r = spawnSync("sh", ["-c", `umask ${umask}; exec "$0" "$@"`, process.execPath, BIN, "set", "X", `mode ${mode.toString(8)}, umask ${umask}`], { cwd: w.dir, env: w.env, encoding: "utf8" });
      expect(r.status, r.stderr).toBe(0);
      expect(modeOf().toString(8)).toBe(mode.toString(8));
    }
    expect(w.vault(["get", "X"]).stdout).toBe("mode 644, umask 077\n");
  });

  it("leaves no lock or temp file behind", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    expect(readdirSync(w.dir)).toEqual(["secrets.vault"]);
  });

  it("names the line of a merge-conflict marker", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    const at = w.file().split("\n").findIndex((l) => l.includes('"A"'));
    editLines(w.vaultFile, (lines) => lines.splice(at, 1, "<<<<<<< HEAD", lines[at]!, "=======", lines[at]!, ">>>>>>> other"));
    const before = w.snapshot();
    const r = w.vault(["set", "B", "2"]);
    expect(r.code).toBe(EXIT.BAD_VAULT);
    expect(r.stderr).toContain(`merge-conflict markers at line ${at + 1}`);
    expect(w.snapshot()).toEqual(before);
  });

  it("names the line of invalid JSON", () => {
    const w = fx.fresh();
    editLines(w.vaultFile, (lines) => (lines[3] = lines[3]!.replace(/,$/, "")));
    const r = w.vault(["ls"]);
    expect(r.code).toBe(EXIT.BAD_VAULT);
    expect(r.stderr).toMatch(/is not valid JSON at line (4|5)/);
  });

  it.each([
    // Broken JSON goes through the error-line scanner, which would recurse: the depth is named.
    ["unclosed", "[".repeat(100_000), /nests JSON deeper than 64 levels at line 1/],
    // Valid JSON parses without recursion and is then refused for what it lacks.
    ["balanced", `${"[".repeat(100_000)}${"]".repeat(100_000)}`, /not a sealenv vault/],
    ["objects", `{"sealenv": 1, "environments": ${'{"a": '.repeat(100_000)}1${"}".repeat(100_000)}}`, /invalid vault id/],
  ])("refuses a file nested 100,000 deep (%s) as not a vault, never overflowing the stack", (_shape, text, message) => {
    const w = workspace({ VAULT_KEY: fx.key });
    writeFileSync(path.join(w.dir, "secrets.vault"), text);
    const before = w.snapshot();
    for (const args of [["ls"], ["set", "A", "1"]]) {
      const r = w.vault(args);
      expect(r.code).toBe(EXIT.BAD_VAULT);
      expect(r.stderr).toMatch(/^vault: error: secrets.vault/m);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toContain("unexpected");
    }
    expect(w.snapshot()).toEqual(before);
  });

  it("asks to upgrade for a newer format version", () => {
    const w = fx.fresh();
    setFormatVersion(w.vaultFile, 2);
    const r = w.vault(["ls"]);
    expect(r.code).toBe(EXIT.UNSUPPORTED_VERSION);
    expect(r.stderr).toContain("upgrade sealenv");
  });

  it("refuses a vault path that is a symlink", () => {
    const w = fx.fresh();
    const link = workspace({ VAULT_KEY: fx.key });
    symlinkSync(path.join(w.dir, "secrets.vault"), path.join(link.dir, "secrets.vault"));
    const r = link.vault(["set", "A", "1"]);
    expect(r.code).toBe(EXIT.IO);
    expect(r.stderr).toContain("symbolic link");
  });
});
