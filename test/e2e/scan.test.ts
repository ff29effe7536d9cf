import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import type { Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { gitIn, gitOk } from "../support/git.js";

// The leak guard where a plain text search misses: binary and UTF-16 files, and values
// that an export wrote escaped. test/e2e/git.test.ts covers the plain forms and the hook.

const fx = useFixture();

const CERT = "-----BEGIN KEY-----\nMIIEvQIBADANBg\n-----END KEY-----";
const MOTTO = 'say "hello" to the world';

/** A workspace whose development environment holds a plain, a multi-line and a quoted value. */
function vaultWithValues(): Workspace {
  const w = fx.fresh();
  expect(w.vault(["set", "API_TOKEN", "tok-4f9a2c71e0"]).code).toBe(0);
  expect(w.vault(["set", "CERT"], { input: `${CERT}\n` }).code).toBe(0);
  expect(w.vault(["set", "MOTTO", MOTTO]).code).toBe(0);
  return w;
}

function expectNoValues(stderr: string) {
  for (const value of ["tok-4f9a2c71e0", "MIIEvQIBADANBg", "hello"]) expect(stderr).not.toContain(value);
}

describe("vault scan beyond plain text", () => {
  it("finds a value in a file that also holds NUL bytes", () => {
    const w = vaultWithValues();
    writeFileSync(path.join(w.dir, "cache.bin"), Buffer.concat([Buffer.from([0, 1, 2, 0, 10]), Buffer.from("token=tok-4f9a2c71e0"), Buffer.from([0, 0])]));
    const r = w.vault(["scan", "cache.bin"]);
    expect(r.code).toBe(EXIT.LEAK);
    expect(r.stderr).toContain("leak: cache.bin: API_TOKEN (development)\n");
    expectNoValues(r.stderr);
  });

  it("finds a value in a UTF-16LE file with a BOM, by line", () => {
    const w = vaultWithValues();
    writeFileSync(path.join(w.dir, "settings.reg"), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('REGEDIT4\r\n"Token"="tok-4f9a2c71e0"\r\n', "utf16le")]));
    const r = w.vault(["scan"]);
    expect(r.code).toBe(EXIT.LEAK);
    expect(r.stderr).toContain("leak: settings.reg:2: API_TOKEN (development, UTF-16)");
    expectNoValues(r.stderr);
  });

  it("finds a multi-line and a quoted value in the output of vault export --format json", () => {
    const w = vaultWithValues();
    const exported = w.vault(["export", "--format", "json"]);
    expect(exported.code).toBe(0);
    writeFileSync(path.join(w.dir, "secrets.json"), exported.stdout);
    const r = w.vault(["scan", "secrets.json"]);
    expect(r.code).toBe(EXIT.LEAK);
    // {, API_TOKEN, CERT, MOTTO: the keys keep their order.
    expect(r.stderr).toContain("leak: secrets.json:2: API_TOKEN (development)");
    expect(r.stderr).toContain("leak: secrets.json:3: CERT (development, escaped)");
    expect(r.stderr).toContain("leak: secrets.json:4: MOTTO (development, escaped)");
    expectNoValues(r.stderr);
  });

  it("the pre-commit hook refuses a dotenv export, and --history finds a UTF-16 file committed past the hook", () => {
    const w = vaultWithValues();
    gitOk(w, ["init", "-q", "-b", "main"]);
    expect(w.vault(["git", "hook", "install"]).code).toBe(0);
    const exported = w.vault(["export", "--format", "dotenv"]);
    writeFileSync(path.join(w.dir, "exported.txt"), exported.stdout);
    gitOk(w, ["add", "exported.txt"]);
    const refused = gitIn(w, ["commit", "-qm", "export"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/exported\.txt:\d: CERT \(development, escaped\)/);
    expectNoValues(refused.stderr);
    gitOk(w, ["rm", "-q", "--cached", "exported.txt"]);

    writeFileSync(path.join(w.dir, "notes.txt"), Buffer.from("first\nAPI_TOKEN is tok-4f9a2c71e0\n", "utf16le"));
    gitOk(w, ["add", "notes.txt"]);
    gitOk(w, ["commit", "--no-verify", "-qm", "notes"]);
    const commit = gitOk(w, ["rev-parse", "--short", "HEAD"]).trim();
    const r = w.vault(["scan", "--history"]);
    expect(r.code).toBe(EXIT.LEAK);
    expect(r.stderr).toContain(`leak: commit ${commit}: notes.txt:2: API_TOKEN (development, UTF-16)`);
    expectNoValues(r.stderr);
  });
});
