import { describe, expect, it } from "vitest";
import { mergeEnvironment } from "../../src/run/env.js";

describe("the child's environment", () => {
  it("leaves out sealenv's credentials and keeps everything else", () => {
    const parent = { PATH: "/bin", VAULT_KEY: "k", VAULT_KEY_PRODUCTION: "p", VAULT_PASSPHRASE: "x", VAULT_PASSPHRASE_FILE: "f", VAULT_IDENTITY: "i", VAULT_SSH_KEY: "s", VAULT_ENV: "staging", VAULT_KEYRING: "kept" };
    expect({ ...mergeEnvironment(parent, {}, false) }).toEqual({ PATH: "/bin", VAULT_ENV: "staging", VAULT_KEYRING: "kept" });
  });

  it("lets existing variables win unless override", () => {
    expect(mergeEnvironment({ PORT: "shell" }, { PORT: "vault" }, false).PORT).toBe("shell");
    expect(mergeEnvironment({ PORT: "shell" }, { PORT: "vault" }, true).PORT).toBe("vault");
  });
});
