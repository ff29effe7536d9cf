import { describe, expect, it } from "vitest";
import { macInput } from "../../src/crypto/mac-input.js";
import { parseVault, replaceStrings, serializeVault, type Environment, type VaultDoc } from "../../src/format/index.js";
import { tooDeepAt } from "../../src/format/json-depth.js";
import { errorOf } from "../support/errors.js";

const SEALED = `${"n".repeat(32)}.${"c".repeat(40)}`;
const b64 = (bytes: number, fill: number) => Buffer.alloc(bytes, fill).toString("base64url");
const SIGNER = b64(32, 7);
const PK = b64(32, 9);

function doc(): VaultDoc {
  return {
    version: 1,
    id: "AAAAAAAAAAAAAAAAAAAAAA",
    defaultEnv: "development",
    environments: {
      production: { generation: 0, keyId: "kp", signer: SIGNER, retiredKeyIds: ["old1"], keyLinks: [], slots: [], secrets: { Z: SEALED, A: SEALED }, mac: "m1" },
      development: {
        generation: 1,
        keyId: "kd",
        signer: SIGNER,
        retiredKeyIds: ["kd0"],
        keyLinks: [{ from: "kd0", to: "kd", generation: 1, signer: SIGNER, sig: b64(64, 3) }],
        slots: [
          { type: "passphrase", kdf: "argon2id13", ops: 3, mem: 268435456, salt: "s", nonce: "n", box: "b" },
          { type: "recipient", member: "alice@example.com", kind: "sealenv", pk: PK, box: b64(80, 5) },
        ],
        secrets: {},
        mac: "m2",
      },
    },
  };
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

  it("escapes a name or value that needs it, as JSON does, whichever secret it is", () => {
    // No parsed vault holds one (names and sealed values are checked on the way in); a
    // document built in memory by mistake must still serialize to the JSON of what it holds.
    for (const odd of ['say "hi"', "back\\slash", "line\nbreak", "tab\t", "\u0001"]) {
      for (const at of ["name", "value"] as const) {
        const d = doc();
        const secrets = d.environments.production!.secrets;
        if (at === "name") secrets[odd] = SEALED;
        else secrets.M = odd;
        const text = serializeVault(d);
        expect(JSON.parse(text).environments.production.secrets).toEqual({ ...secrets });
      }
    }
  });
});

describe("replaceStrings", () => {
  // A file as sealenv writes it, with secrets whose sealed values are distinct, and a way to change one as a set would.
  const sealed = (n: number) => `${b64(24, n)}.${b64(40 + n, n)}`;
  const filled = (): VaultDoc => {
    const d = doc();
    d.environments.development!.secrets = { A: sealed(1), B: sealed(2), C: sealed(3) };
    d.environments.development!.mac = b64(32, 11);
    d.environments.production!.secrets = { A: sealed(4), Z: sealed(5) };
    return d;
  };
  const bytesOf = (d: VaultDoc) => Buffer.from(serializeVault(d), "utf8");

  it("gives exactly the file the changed document serializes to", () => {
    const before = filled();
    const after = filled();
    after.environments.development!.secrets.B = sealed(20);
    after.environments.development!.mac = b64(32, 12);
    const out = replaceStrings(bytesOf(before), [
      [sealed(2), sealed(20)],
      [b64(32, 11), b64(32, 12)],
    ]);
    expect(out?.toString("utf8")).toBe(serializeVault(after));
  });

  it("declines a file with any backslash, where an escape could hide a second copy", () => {
    const d = filled();
    const text = serializeVault(d).replace(`"default"`, `"defaul\\u0074"`);
    expect(parseVault(text)).toEqual(d);
    expect(replaceStrings(Buffer.from(text), [[sealed(2), sealed(20)]])).toBeUndefined();
  });

  it("declines a string found twice, or not at all, or that is not a plain token", () => {
    const d = filled();
    d.environments.production!.secrets.B = sealed(2);
    expect(replaceStrings(bytesOf(d), [[sealed(2), sealed(20)]])).toBeUndefined();
    expect(replaceStrings(bytesOf(filled()), [[sealed(99), sealed(20)]])).toBeUndefined();
    expect(replaceStrings(bytesOf(filled()), [["development", "staging"]])).toBeUndefined();
    expect(replaceStrings(bytesOf(filled()), [["AAAAAAAAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBBBB"]])?.toString()).toContain(`"id": "BBBBBBBBBBBBBBBBBBBBBB",`);
    expect(replaceStrings(bytesOf(filled()), [[sealed(2), 'x", "y']])).toBeUndefined();
    expect(replaceStrings(bytesOf(filled()), [[", ", "x"]])).toBeUndefined();
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

  it("refuses broken JSON nested deeper than 64 levels without recursing, and valid deep JSON as not a vault", () => {
    for (const text of ["[".repeat(100_000), `${"[".repeat(65)}${"]".repeat(64)}`, `{"a": ${"{".repeat(100_000)}`]) {
      const err = errorOf(() => parseVault(text));
      expect(err.code).toBe("bad_vault");
      expect(err.message).toMatch(/nests JSON deeper than 64 levels at line 1/);
    }
    const valid = errorOf(() => parseVault(`${"[".repeat(100_000)}${"]".repeat(100_000)}`));
    expect(valid.code).toBe("bad_vault");
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

describe("parseVault limits", () => {
  const slot = (pk: string) => `{ "type": "recipient", "member": "mallory", "kind": "sealenv", "pk": "${pk}", "box": "${b64(80, 5)}" }`;
  it.each([
    ["an all-zero member key", b64(32, 0)],
    ["the identity point as member key", Buffer.from([1, ...Array<number>(31).fill(0)]).toString("base64url")],
    ["p - 1 with the top bit set", Buffer.from([0xec, ...Array<number>(30).fill(0xff), 0xff]).toString("base64url")],
    ["a 31-byte member key", b64(31, 9)],
  ])("refuses %s, naming the member", (_what, pk) => {
    const text = serializeVault(doc()).replace('"slots": [],', `"slots": [${slot(pk)}],`);
    const err = errorOf(() => parseVault(text));
    expect(err.code).toBe("bad_vault");
    expect(err.message).toContain("member mallory has an invalid public key");
  });

  it("refuses more than two passphrase slots before anything is hashed", () => {
    const p = '{ "type": "passphrase", "kdf": "argon2id13", "ops": 3, "mem": 268435456, "salt": "s", "nonce": "n", "box": "b" }';
    const err = errorOf(() => parseVault(serializeVault(doc()).replace('"slots": [],', `"slots": [${p}, ${p}, ${p}],`)));
    expect(err.code).toBe("kdf_bounds");
  });

  it("keeps names that are Object.prototype members as ordinary names", () => {
    const text = serializeVault(doc()).replace('"A":', '"__proto__":').replace('"Z":', '"constructor":');
    const parsed = parseVault(text);
    expect(Object.keys(parsed.environments.production!.secrets).sort()).toEqual(["__proto__", "constructor"]);
    expect(Object.getPrototypeOf(parsed.environments.production!.secrets)).toBeNull();
    expect(parseVault(serializeVault(parsed))).toEqual(parsed);
  });
});

describe("what an environment's MAC covers", () => {
  const place = { vaultId: "v", envName: "e", isDefault: false };
  const env = (secrets: Record<string, string>, keyId = "k"): Omit<Environment, "mac"> => ({ generation: 0, keyId, signer: SIGNER, retiredKeyIds: [], keyLinks: [], slots: [], secrets });
  const bytes = (p: typeof place, e: Omit<Environment, "mac">) => Buffer.from(macInput(p, e)).toString("hex");

  it("does not depend on insertion order", () => {
    expect(bytes(place, env({ A: "1", B: "2" }))).toBe(bytes(place, env({ B: "2", A: "1" })));
  });

  it("differs when any name, value, key id, environment, vault or default flag differs", () => {
    const ref = bytes(place, env({ A: "1", B: "2" }));
    expect(bytes(place, env({ A: "1" }))).not.toBe(ref);
    expect(bytes(place, env({ A: "1", B: "3" }))).not.toBe(ref);
    expect(bytes(place, env({ A: "2", B: "1" }))).not.toBe(ref);
    expect(bytes(place, env({ A: "1", B: "2" }, "j"))).not.toBe(ref);
    expect(bytes({ ...place, envName: "f" }, env({ A: "1", B: "2" }))).not.toBe(ref);
    expect(bytes({ ...place, vaultId: "w" }, env({ A: "1", B: "2" }))).not.toBe(ref);
    expect(bytes({ ...place, isDefault: true }, env({ A: "1", B: "2" }))).not.toBe(ref);
  });

  it("cannot be confused by moving characters between fields or between lists", () => {
    expect(bytes(place, env({ AB: "C" }))).not.toBe(bytes(place, env({ A: "BC" })));
    expect(bytes(place, { ...env({}), retiredKeyIds: ["x"] })).not.toBe(bytes(place, { ...env({}), keyId: "k", retiredKeyIds: [], secrets: {} }));
  });
});
