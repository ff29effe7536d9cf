import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PASSPHRASE, workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { onTerminal } from "../support/terminal.js";

const fx = useFixture();

const baseEnv = (home: string, extra: NodeJS.ProcessEnv = {}) => ({ PATH: process.env.PATH, HOME: home, TERM: "xterm", ...extra });

describe("on a terminal", () => {
  it("asks for a value with hidden input and never shows it", async () => {
    const w = fx.fresh();
    const r = await onTerminal(["set", "TYPED"], w.dir, baseEnv(w.home, { VAULT_KEY: fx.key }), [
      { expect: "Value for TYPED", send: "typed-secret-value\r" },
    ]);
    expect(r.code).toBe(0);
    expect(r.screen).not.toContain("typed-secret-value");
    expect(w.vault(["get", "TYPED"]).stdout).toBe("typed-secret-value\n");
  });

  it("asks for the passphrase when no key is set", async () => {
    const w = fx.fresh();
    w.vault(["set", "A", "opened"]);
    const r = await onTerminal(["get", "A"], w.dir, baseEnv(w.home), [{ expect: "Passphrase for development", send: `${PASSPHRASE}\r` }]);
    expect(r.code).toBe(0);
    expect(r.screen).toContain("opened");
    expect(r.screen).not.toContain(PASSPHRASE);
  });

  it("vault init asks where the key should live", async () => {
    const w = workspace();
    const r = await onTerminal(["init"], w.dir, baseEnv(w.home), [
      { expect: "Where should the key live?", send: "\x1b[B" },
      { expect: "Passphrase", send: "\r" },
      { expect: "New passphrase", send: `${PASSPHRASE}\r` },
      { expect: "Repeat it", send: `${PASSPHRASE}\r` },
    ]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(w.file());
    expect(doc.environments.development.slots).toHaveLength(1);
    expect(w.vault(["ls"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(0);
  });

  it("shows progress for long work on a terminal, and none elsewhere", async () => {
    const w = fx.fresh();
    const big = Array.from({ length: 3000 }, (_, i) => `KEY_${i}=value-${i}`).join("\n");
    writeFileSync(path.join(w.dir, "big.env"), big);
    const r = await onTerminal(["import", "big.env"], w.dir, baseEnv(w.home, { VAULT_KEY: fx.key }), []);
    expect(r.code).toBe(0);
    expect(r.screen).toContain("importing into development: 3000/3000");
    const piped = w.vault(["rotate", "--print-key"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toContain("re-encrypting");
  });

  it("never prompts with --yes", async () => {
    const w = fx.fresh();
    const r = await onTerminal(["get", "A", "--yes"], w.dir, baseEnv(w.home), []);
    expect(r.code).toBe(5);
    expect(r.screen).not.toContain("Passphrase for");
    expect(r.screen).toContain("no key for development");
  });
});
