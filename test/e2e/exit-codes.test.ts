/**
 * Bad input, from a user or a file: one error line with a hint, a distinct exit code,
 * nothing on stdout, no stack trace, nothing changed on disk. The matrix runs through
 * `main(argv)` in this process (test/support/in-process.ts); the real binary's behaviour
 * is covered end to end elsewhere.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import type { Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { vaultInProcess } from "../support/in-process.js";
import { copyCiphertext, setFormatVersion } from "../support/tamper.js";

const fx = useFixture();

type Case = [label: string, args: string[], code: number, message: string, setup?: (w: Workspace) => Record<string, string | undefined> | void];

const CASES: Case[] = [
  ["a secret that is not there", ["get", "MISSING"], EXIT.NOT_FOUND, "no secret MISSING in development"],
  ["an invalid secret name", ["set", "1ABC", "value"], EXIT.USAGE, "1ABC"],
  ["an environment that is not there", ["--env", "nosuch", "ls"], EXIT.NOT_FOUND, "no environment nosuch in this vault"],
  ["an unknown export format", ["export", "--format", "xml"], EXIT.USAGE, "xml"],
  ["a file to import that is not there", ["import", "no-such.env"], EXIT.NOT_FOUND, "cannot read no-such.env"],
  ["init over an existing vault", ["init", "--passphrase"], EXIT.EXISTS, "secrets.vault already exists", () => ({ VAULT_PASSPHRASE: "a long enough passphrase" })],
  ["no key anywhere", ["get", "A"], EXIT.NO_KEY, "no key for development", () => ({ VAULT_KEY: undefined })],
  ["a key string that is not one", ["get", "A"], EXIT.BAD_KEY_STRING, "is not a valid sealenv key", () => ({ VAULT_KEY: "sealenv-key-1:development:garbage" })],
  ["a value changed by hand", ["get", "A"], EXIT.INTEGRITY, "", (w) => {
    copyCiphertext(w.vaultFile, { name: "B" }, { name: "A" });
  }],
  ["a file that is not JSON", ["ls"], EXIT.BAD_VAULT, "is not valid JSON", (w) => writeFileSync(path.join(w.dir, "secrets.vault"), "not json {")],
  ["a newer format version", ["ls"], EXIT.UNSUPPORTED_VERSION, "", (w) => {
    setFormatVersion(w.vaultFile, 99);
  }],
  ["a template that does not parse", ["set", "--template", "T", "${not valid}"], EXIT.USAGE, "that is not ${NAME}"],
  ["help for a command that does not exist", ["help", "nosuch"], EXIT.USAGE, "no command `vault nosuch`"],
];

describe("the exit-code and message matrix, in process", () => {
  it.each(CASES)("%s (vault %j) exits %i", async (_label, args, code, message, setup) => {
    const w = fx.fresh();
    // Two secrets, so one can be swapped for the other by hand.
    expect((await vaultInProcess(["set", "A", "value-a"], { env: w.env, cwd: w.dir })).code).toBe(0);
    expect((await vaultInProcess(["set", "B", "value-b"], { env: w.env, cwd: w.dir })).code).toBe(0);
    const extra = setup?.(w) ?? {};
    const env = { ...w.env, ...extra };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
    const before = w.snapshot();
    const r = await vaultInProcess(["-y", ...args], { env, cwd: w.dir });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code, stdout: "" });
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^vault: error: /);
    expect(lines[0]).toContain(message);
    expect(r.stderr).toMatch(/^vault: hint: /m);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(w.snapshot()).toEqual(before);
  });

  it("leaves the test process as it found it", async () => {
    const w = fx.fresh();
    const cwd = process.cwd();
    const env = process.env;
    mkdirSync(path.join(w.dir, "sub"));
    await vaultInProcess(["get", "MISSING"], { env: w.env, cwd: path.join(w.dir, "sub") });
    expect(process.cwd()).toBe(cwd);
    expect(process.env).toBe(env);
    expect(readFileSync(path.join(w.dir, "secrets.vault"), "utf8")).toBe(w.file());
  });
});
