import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { mergeEnvironment } from "../../src/run/env.js";

/** Secrets as the vault hands them over: parsed from JSON, so `__proto__` is an own key. */
const secrets = JSON.parse('{ "constructor": "ctor-value", "__proto__": "proto-value", "toString": "ts-value", "hasOwnProperty": "own-value", "API_KEY": "k" }') as Record<string, string>;

describe("the child's environment", () => {
  it("leaves out sealenv's credentials and keeps everything else", () => {
    const parent = { PATH: "/bin", VAULT_KEY: "k", VAULT_KEY_PRODUCTION: "p", VAULT_PASSPHRASE: "x", VAULT_PASSPHRASE_FILE: "f", VAULT_IDENTITY: "i", VAULT_SSH_KEY: "s", VAULT_ENV: "staging", VAULT_KEYRING: "kept" };
    expect({ ...mergeEnvironment(parent, {}, false) }).toEqual({ PATH: "/bin", VAULT_ENV: "staging", VAULT_KEYRING: "kept" });
  });

  it("lets existing variables win unless override", () => {
    expect(mergeEnvironment({ PORT: "shell" }, { PORT: "vault" }, false).PORT).toBe("shell");
    expect(mergeEnvironment({ PORT: "shell" }, { PORT: "vault" }, true).PORT).toBe("vault");
  });

  it("sets secrets named like Object.prototype members as plain variables", () => {
    const merged = mergeEnvironment({ PATH: "/bin" }, secrets, false);
    for (const name of ["constructor", "__proto__", "toString", "hasOwnProperty"]) expect(Object.hasOwn(merged, name)).toBe(true);
    expect(merged.constructor).toBe("ctor-value");
    expect(Object.getOwnPropertyDescriptor(merged, "__proto__")?.value).toBe("proto-value");
  });

  it("hands them to a real child process", () => {
    const merged = mergeEnvironment({ PATH: process.env.PATH }, secrets, false);
    const show = "const e = process.env; process.stdout.write(JSON.stringify(Object.fromEntries(Object.entries(e).filter(([k]) => k !== 'PATH'))))";
    const r = spawnSync(process.execPath, ["-e", show], { env: merged, encoding: "utf8" });
    expect(JSON.parse(r.stdout)).toMatchObject({ constructor: "ctor-value", toString: "ts-value", hasOwnProperty: "own-value", API_KEY: "k" });
    expect(r.stdout).toContain('"__proto__":"proto-value"');
  });
});
