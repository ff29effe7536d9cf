import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { PASSPHRASE, workspace } from "../support/cli.js";
import { expectRefused } from "../support/expectations.js";
import { useFixture } from "../support/fixture.js";
import { installWithBroken } from "../support/installs.js";

const fx = useFixture();
/** sealenv where sodium-native has no build for the platform. */
const withoutNative = installWithBroken(["sodium-native"]);
/** sealenv where neither libsodium build loads. */
const withoutLibsodium = installWithBroken(["sodium-native", "libsodium-wrappers-sumo"]);

describe("where sodium-native has no build for the platform", () => {
  it("falls back to the WebAssembly build, and each build reads what the other wrote", () => {
    const w = fx.fresh();
    expect(w.vault(["set", "NATIVE_WROTE"], { input: "by the native build" }).code).toBe(0);

    expect(w.vault(["doctor"], { bin: withoutNative }).stdout).toContain("crypto: libsodium, WebAssembly build");
    expect(w.vault(["doctor"]).stdout).toContain("crypto: libsodium, native build");
    const read = w.vault(["run", "--", "sh", "-c", 'printf %s "$NATIVE_WROTE"'], { bin: withoutNative });
    expect({ code: read.code, stdout: read.stdout }).toEqual({ code: 0, stdout: "by the native build" });

    expect(w.vault(["set", "WASM_WROTE"], { input: "by the WebAssembly build", bin: withoutNative }).code).toBe(0);
    const back = w.vault(["get", "WASM_WROTE"]);
    expect({ code: back.code, stdout: back.stdout }).toEqual({ code: 0, stdout: "by the WebAssembly build\n" });
  });

  it("opens a passphrase slot the native build wrote (Argon2id gives both the same key)", () => {
    const w = fx.fresh();
    expect(w.vault(["set", "BEHIND_A_PASSPHRASE"], { input: "opened by Argon2id" }).code).toBe(0);
    const got = w.vault(["get", "BEHIND_A_PASSPHRASE"], { bin: withoutNative, env: { VAULT_KEY: undefined, VAULT_PASSPHRASE: PASSPHRASE } });
    expect({ code: got.code, stdout: got.stdout }).toEqual({ code: 0, stdout: "opened by Argon2id\n" });
  });
});

describe("commands that need no key", () => {
  it("load no libsodium: ls, env ls, member ls, help and version work where none loads", () => {
    const w = fx.fresh();
    expect(w.vault(["set", "LISTED"], { input: "x" }).code).toBe(0);
    const ls = w.vault(["ls"], { bin: withoutLibsodium });
    expect({ code: ls.code, stdout: ls.stdout, stderr: ls.stderr }).toEqual({ code: 0, stdout: "LISTED\n", stderr: "" });
    expect(w.vault(["env", "ls"], { bin: withoutLibsodium }).stdout).toBe("development (default)\n");
    expect(w.vault(["member", "ls"], { bin: withoutLibsodium }).code).toBe(0);
    expect(w.vault(["--version"], { bin: withoutLibsodium }).code).toBe(0);
    expect(w.vault(["--help"], { bin: withoutLibsodium }).code).toBe(0);
  });

  it("where a key is needed and no libsodium loads, say so in one line, exit io, and change nothing", () => {
    const w = fx.fresh();
    const before = w.snapshot();
    for (const args of [["get", "ANY"], ["run", "--", "true"]]) {
      const r = w.vault(args, { bin: withoutLibsodium });
      expectRefused(r, EXIT.IO);
      expect(r.stderr).toMatch(/^vault: error: cannot load libsodium: no native build loads on \S+ and the WebAssembly build failed/m);
      expect(r.stderr).toContain("hint: reinstall sealenv");
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(w.snapshot()).toEqual(before);
    expect(workspace().vault(["init"], { bin: withoutLibsodium, env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).not.toBe(0);
  });
});
