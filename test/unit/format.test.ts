import { describe, expect, it } from "vitest";
import { canonicalEnvironment, parseVault, serializeVault, type VaultDoc } from "../../src/format/index.js";
import { VaultError } from "../../src/errors.js";
import { tooDeepAt } from "../../src/format/json-depth.js";

const SEALED = `${"n".repeat(32)}.${"c".repeat(40)}`;

function doc(): VaultDoc {
  return {
    version: 1,
    id: "AAAAAAAAAAAAAAAAAAAAAA",
    defaultEnv: "development",
    environments: {
      production: { keyId: "kp", retiredKeyIds: ["old1"], keyLinks: [], slots: [], secrets: { Z: SEALED, A: SEALED }, mac: "m1" },
      development: {
        keyId: "kd",
        retiredKeyIds: [],
        keyLinks: [{ from: "kd0", to: "kd", nonce: "n", box: "b" }],
        slots: [
          { type: "passphrase", kdf: "argon2id13", ops: 3, mem: 268435456, salt: "s", nonce: "n", box: "b" },
          { type: "recipient", member: "alice@example.com", kind: "sealenv", pk: "pk", box: "b" },
        ],
        secrets: {},
        mac: "m2",
      },
    },
  };
}

function errorOf(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (err) {
    if (err instanceof VaultError) return err;
    throw err;
  }
  throw new Error("expected a VaultError");
}

describe("serializeVault", () => {
  it("round-trips through parseVault", () => {
    const text = serializeVault(doc());
    expect(parseVault(text)).toEqual(doc());
    expect(serializeVault(parseVault(text))).toBe(text);
  });

  it("sorts environments and secrets, one secret a line, with a trailing newline", () => {
    const text = serializeVault(doc());
    expect(text.indexOf('"development"')).toBeLessThan(text.indexOf('"production"'));
    expect(text.indexOf('"A":')).toBeLessThan(text.indexOf('"Z":'));
    expect(text.split("\n").filter((l) => l.includes(SEALED))).toHaveLength(2);
    expect(text.endsWith("}\n")).toBe(true);
    expect(text).toContain('\n  "sealenv": 1,\n');
  });

  it("gives the same bytes whatever the insertion order", () => {
    const a = doc();
    const b = doc();
    b.environments = { development: b.environments.development!, production: b.environments.production! };
    b.environments.production!.secrets = { A: SEALED, Z: SEALED };
    expect(serializeVault(a)).toBe(serializeVault(b));
  });
});

describe("parseVault", () => {
  it("names the line of a conflict marker", () => {
    const lines = serializeVault(doc()).split("\n");
    lines.splice(5, 0, "<<<<<<< ours");
    const err = errorOf(() => parseVault(lines.join("\n")));
    expect(err.code).toBe("bad_vault");
    expect(err.message).toContain("merge-conflict markers at line 6");
  });

  it("names the line of a JSON syntax error", () => {
    const lines = serializeVault(doc()).split("\n");
    lines[2] = lines[2]!.replace(",", "");
    const err = errorOf(() => parseVault(lines.join("\n")));
    expect(err.message).toMatch(/not valid JSON at line (3|4)/);
  });

  it("refuses JSON nested deeper than 64 levels before parsing it, without recursing", () => {
    for (const text of ["[".repeat(100_000), `${"[".repeat(65)}${"]".repeat(65)}`, `{"a": ${"{".repeat(100_000)}`]) {
      const err = errorOf(() => parseVault(text));
      expect(err.code).toBe("bad_vault");
      expect(err.message).toMatch(/nests JSON deeper than 64 levels at line 1/);
    }
    // Brackets inside strings (escaped quotes included) do not count.
    const inStrings = `${String.raw`["\\", "\"`}${"[".repeat(100)}"]`;
    expect(JSON.parse(inStrings)).toEqual(["\\", `"${"[".repeat(100)}`]);
    expect(tooDeepAt(inStrings)).toBeUndefined();
    expect(tooDeepAt(`${"[".repeat(64)}${"]".repeat(64)}`)).toBeUndefined();
    expect(tooDeepAt(`\n${"[".repeat(65)}`)).toBe(65);
    expect(tooDeepAt(serializeVault(doc()), 5)).toBeUndefined();
  });

  it("refuses a newer version with a hint to upgrade", () => {
    const err = errorOf(() => parseVault(serializeVault(doc()).replace('"sealenv": 1', '"sealenv": 7')));
    expect(err.code).toBe("unsupported_version");
    expect(err.hint).toContain("upgrade");
  });

  it.each([
    ["an invalid secret name", (t: string) => t.replace('"A":', '"1A":'), /invalid secret name/],
    ["an invalid environment name", (t: string) => t.replace('"production":', '"Prod":'), /invalid environment name/],
    ["a value that is not sealed", (t: string) => t.replace(`"Z": "${SEALED}"`, '"Z": "plaintext"'), /not a sealed value/],
    ["a missing default environment", (t: string) => t.replace('"default": "development"', '"default": "qa"'), /default environment qa/],
    ["an unknown slot type", (t: string) => t.replace('"type": "passphrase"', '"type": "magic"'), /unknown slot type/],
    ["a file that is not a vault", () => "[1, 2]\n", /not a sealenv vault/],
  ])("refuses %s", (_what, mutate, message) => {
    const err = errorOf(() => parseVault(mutate(serializeVault(doc()))));
    expect(err.code).toBe("bad_vault");
    expect(err.message).toMatch(message);
  });
});

describe("canonicalEnvironment", () => {
  type Content = { keyId: string; secrets: Record<string, string> };
  const base: Content = { keyId: "k", secrets: { A: "1", B: "2" } };
  const bytes = (vaultId: string, env: string, e: Content) => Buffer.from(canonicalEnvironment(vaultId, env, e)).toString("hex");

  it("does not depend on insertion order", () => {
    expect(bytes("v", "e", base)).toBe(bytes("v", "e", { keyId: "k", secrets: { B: "2", A: "1" } }));
  });

  it("differs when any name, value, key id, environment or vault differs", () => {
    const ref = bytes("v", "e", base);
    expect(bytes("v", "e", { keyId: "k", secrets: { A: "1" } })).not.toBe(ref);
    expect(bytes("v", "e", { keyId: "k", secrets: { A: "1", B: "3" } })).not.toBe(ref);
    expect(bytes("v", "e", { keyId: "k", secrets: { A: "2", B: "1" } })).not.toBe(ref);
    expect(bytes("v", "e", { keyId: "j", secrets: base.secrets })).not.toBe(ref);
    expect(bytes("v", "f", base)).not.toBe(ref);
    expect(bytes("w", "e", base)).not.toBe(ref);
  });

  it("cannot be confused by moving characters between fields", () => {
    expect(bytes("v", "e", { keyId: "k", secrets: { AB: "C" } })).not.toBe(bytes("v", "e", { keyId: "k", secrets: { A: "BC" } }));
  });
});
