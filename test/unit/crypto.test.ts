import { beforeAll, describe, expect, it } from "vitest";
import {
  checkKdfParams,
  deriveKeys,
  formatKeyString,
  KDF_BOUNDS,
  loadSodium,
  newDataKey,
  openPassphraseSlot,
  openValue,
  parseKeyString,
  sealPassphraseSlot,
  sealValue,
  verifyEnvironmentMac,
} from "../../src/crypto/index.js";
import fc from "fast-check";
import { lengthPrefixed, macInput, replacedInput } from "../../src/crypto/mac-input.js";
import { IntegrityError } from "../../src/errors.js";
import type { Environment } from "../../src/format/index.js";
import { keyedEnvironment } from "../support/environments.js";
import { errorOf } from "../support/errors.js";
import { flipCharacter } from "../support/tamper.js";

beforeAll(async () => {
  await loadSodium();
});

const place = { vaultId: "vault-1", env: "development", name: "API_KEY" };

describe("sealed values", () => {
  it("open to the value they sealed, with the time of the write", () => {
    const keys = deriveKeys(newDataKey());
    const sealed = sealValue(keys, place, "s3cret\nvalue ✓", { updated: "2026-01-02T03:04:05.000Z", rotateEvery: "90d" });
    expect(openValue(keys, place, sealed)).toEqual({ value: "s3cret\nvalue ✓", updated: "2026-01-02T03:04:05.000Z", created: "2026-01-02T03:04:05.000Z", rotateEvery: "90d" });
  });

  it("use a fresh nonce on every write", () => {
    const keys = deriveKeys(newDataKey());
    expect(sealValue(keys, place, "same")).not.toBe(sealValue(keys, place, "same"));
  });

  it("fail as tampered when a byte changes", () => {
    const keys = deriveKeys(newDataKey());
    const sealed = sealValue(keys, place, "v");
    const err = errorOf(() => openValue(keys, place, flipCharacter(sealed, 3)));
    expect(err).toBeInstanceOf(IntegrityError);
    expect((err as IntegrityError).reason).toBe("tampered");
    expect((err as IntegrityError).message).toBe("cannot decrypt API_KEY in development: wrong key or the file was modified");
  });

  it.each([
    ["another name", { ...place, name: "OTHER" }],
    ["another environment", { ...place, env: "production" }],
    ["another vault", { ...place, vaultId: "vault-2" }],
  ])("fail as moved when opened under %s", (_what, elsewhere) => {
    const keys = deriveKeys(newDataKey());
    const err = errorOf(() => openValue(keys, elsewhere, sealValue(keys, place, "v")));
    expect((err as IntegrityError).reason).toBe("moved");
  });

  it("fail under another key", () => {
    const sealed = sealValue(deriveKeys(newDataKey()), place, "v");
    expect((errorOf(() => openValue(deriveKeys(newDataKey()), place, sealed)) as IntegrityError).reason).toBe("tampered");
  });
});

describe("a MAC input with values replaced", () => {
  const sealedOf = (n: number) => `${Buffer.alloc(24, n).toString("base64url")}.${Buffer.alloc(20 + n, n).toString("base64url")}`;
  const macPlace = { vaultId: "vault-1", envName: "development", isDefault: true };
  const envWith = (secrets: Record<string, string>): Omit<Environment, "mac"> => ({
    generation: 2,
    keyId: "kid",
    signer: "signer",
    retiredKeyIds: ["old"],
    keyLinks: [],
    slots: [{ type: "passphrase", kdf: "argon2id13", ops: 3, mem: 1024, salt: "salt", nonce: "nonce", box: "box" }],
    secrets,
  });

  it("is the input of the environment with those values, of any new length", () => {
    const before = envWith({ A: sealedOf(1), B: sealedOf(2), C: sealedOf(3) });
    const after = envWith({ A: sealedOf(1), B: sealedOf(40), C: sealedOf(0) });
    const made = replacedInput(macInput(macPlace, before), [
      [sealedOf(3), sealedOf(0)],
      [sealedOf(2), sealedOf(40)],
    ]);
    expect(made && Buffer.from(made)).toEqual(Buffer.from(macInput(macPlace, after)));
  });

  it("is undefined for a value not there, or there twice", () => {
    const input = macInput(macPlace, envWith({ A: sealedOf(1), B: sealedOf(1), C: sealedOf(3) }));
    expect(replacedInput(input, [[sealedOf(1), sealedOf(5)]])).toBeUndefined();
    expect(replacedInput(input, [[sealedOf(9), sealedOf(5)]])).toBeUndefined();
  });
});

describe("length-prefixed parts", () => {
  // What the MAC covers: UTF-8 of each part after its 4-byte big-endian byte count, written the plain way.
  const reference = (parts: string[]) =>
    Buffer.concat(
      parts.flatMap((p) => {
        const bytes = Buffer.from(p, "utf8");
        const count = Buffer.alloc(4);
        count.writeUInt32BE(bytes.length);
        return [count, bytes];
      }),
    );

  it("are the same bytes for ASCII, any other text, and lengths past one byte", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ unit: "grapheme-ascii" }), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })), { maxLength: 8 }), (parts) => {
        expect(Buffer.from(lengthPrefixed(parts))).toEqual(reference(parts));
      }),
    );
    const long = ["x".repeat(300), "y".repeat(70_000), "é".repeat(200)];
    expect(Buffer.from(lengthPrefixed(long))).toEqual(reference(long));
    expect(Buffer.from(lengthPrefixed(long.slice(0, 2)))).toEqual(reference(long.slice(0, 2)));
  });
});

describe("environment MAC", () => {
  const place = { vaultId: "vault-1", envName: "development", isDefault: true };
  const slot = () => ({ type: "recipient" as const, member: "alice", kind: "sealenv" as const, pk: "A".repeat(43), box: "B".repeat(107) });
  const passphraseSlot = () => ({ type: "passphrase" as const, kdf: "argon2id13" as const, ops: 3, mem: 268435456, salt: "S".repeat(22), nonce: "N".repeat(32), box: "X".repeat(64) });
  const link = () => ({ from: "old", to: "new", generation: 1, signer: "P".repeat(43), sig: "G".repeat(86) });
  function env(keys: ReturnType<typeof deriveKeys>, secrets: Record<string, string>): Environment {
    return keyedEnvironment(keys, place, { secrets, slots: [slot(), passphraseSlot()], keyLinks: [link()], retiredKeyIds: ["old"] });
  }

  it("verifies unchanged content", () => {
    const keys = deriveKeys(newDataKey());
    expect(() => verifyEnvironmentMac(keys, place, env(keys, { A: "x", B: "y" }))).not.toThrow();
  });

  // Everything that decides who can open the environment or what a program receives.
  it.each([
    ["a removed entry", (e: Environment) => delete e.secrets.B],
    ["an added entry", (e: Environment) => (e.secrets.C = "z")],
    ["swapped values", (e: Environment) => ([e.secrets.A, e.secrets.B] = [e.secrets.B!, e.secrets.A!])],
    ["a changed key id", (e: Environment) => (e.keyId = "other")],
    ["a raised generation", (e: Environment) => (e.generation = 5)],
    ["another signer", (e: Environment) => (e.signer = "Q".repeat(43))],
    ["a removed retired key id", (e: Environment) => (e.retiredKeyIds = [])],
    ["a removed key link", (e: Environment) => (e.keyLinks = [])],
    ["a key link's generation", (e: Environment) => (e.keyLinks[0]!.generation = 2)],
    ["a planted member slot", (e: Environment) => e.slots.push(slot())],
    ["a removed member slot", (e: Environment) => e.slots.shift()],
    ["a relabelled member slot", (e: Environment) => ((e.slots[0] as { member: string }).member = "bob")],
    ["a member slot's public key", (e: Environment) => ((e.slots[0] as { pk: string }).pk = "C".repeat(43))],
    ["a member slot's box", (e: Environment) => ((e.slots[0] as { box: string }).box = "D".repeat(107))],
    ["a passphrase slot's cost", (e: Environment) => ((e.slots[1] as { ops: number }).ops = 4)],
    ["a passphrase slot's salt", (e: Environment) => ((e.slots[1] as { salt: string }).salt = "T".repeat(22))],
    ["the order of slots", (e: Environment) => e.slots.reverse()],
  ])("detects %s", (_what, change) => {
    const keys = deriveKeys(newDataKey());
    const e = env(keys, { A: "x", B: "y" });
    change(e);
    const err = errorOf(() => verifyEnvironmentMac(keys, place, e));
    expect((err as IntegrityError).reason).toBe("mac_mismatch");
  });

  it.each([
    ["another environment's name", { ...place, envName: "staging" }],
    ["another vault", { ...place, vaultId: "vault-2" }],
    ["the default flag flipped", { ...place, isDefault: false }],
  ])("does not verify under %s", (_what, elsewhere) => {
    const keys = deriveKeys(newDataKey());
    const err = errorOf(() => verifyEnvironmentMac(keys, elsewhere, env(keys, { A: "x" })));
    expect(err).toBeInstanceOf(IntegrityError);
  });
});

describe("key strings", () => {
  it("round-trip, naming their environment and key id", () => {
    const dataKey = newDataKey();
    const parsed = parseKeyString(formatKeyString("production", dataKey), "VAULT_KEY");
    expect(parsed.env).toBe("production");
    expect(parsed.keyId).toBe(deriveKeys(dataKey).keyId);
    expect(Buffer.from(parsed.dataKey).equals(Buffer.from(dataKey))).toBe(true);
  });

  it("tolerate surrounding whitespace from copy and paste", () => {
    const text = formatKeyString("development", newDataKey());
    expect(parseKeyString(`  ${text}\n`, "VAULT_KEY").env).toBe("development");
  });

  it.each([
    ["cut short", (t: string) => t.slice(0, -2), /checksum mismatch/],
    ["mistyped", (t: string) => t.replace(/:(.)([^:]*):([^:]*)$/, (_m, c: string, rest: string, sum: string) => `:${c === "a" ? "b" : "a"}${rest}:${sum}`), /checksum mismatch/],
    ["with another environment name", (t: string) => t.replace(":development:", ":production:"), /checksum mismatch/],
    ["not a key at all", () => "hunter2", /expected sealenv-key-1/],
  ])("are refused when %s", (_what, mutate, message) => {
    const text = formatKeyString("development", newDataKey());
    const err = errorOf(() => parseKeyString(mutate(text), "VAULT_KEY"));
    expect(err.code).toBe("bad_key_string");
    expect(err.message).toMatch(message);
    expect(err.message).toContain("VAULT_KEY");
  });
});

describe("passphrase slots", () => {
  it("open with the passphrase and only with it", () => {
    const dataKey = newDataKey();
    const slot = sealPassphraseSlot(dataKey, "correct horse battery staple");
    expect(slot.ops).toBeGreaterThanOrEqual(3);
    expect(slot.mem).toBeGreaterThanOrEqual(256 * 1024 * 1024);
    expect(Buffer.from(openPassphraseSlot(slot, "correct horse battery staple")!).equals(Buffer.from(dataKey))).toBe(true);
    expect(openPassphraseSlot(slot, "correct horse battery stapler")).toBeUndefined();
  });

  it("refuse very short passphrases", () => {
    expect(errorOf(() => sealPassphraseSlot(newDataKey(), "short")).code).toBe("usage");
  });

  it.each([
    ["fewer passes than the floor (a downgrade)", { ops: KDF_BOUNDS.opsMin - 1, mem: KDF_BOUNDS.memMin }, /weaker/],
    ["less memory than the floor (a downgrade)", { ops: 3, mem: KDF_BOUNDS.memMin - 1 }, /weaker/],
    ["more passes than the ceiling", { ops: KDF_BOUNDS.opsMax + 1, mem: KDF_BOUNDS.memMin }, /more Argon2id work/],
    ["more memory than the ceiling", { ops: 3, mem: KDF_BOUNDS.memMax + 1 }, /more Argon2id work/],
  ])("refuse KDF parameters with %s, before hashing", (_what, params, message) => {
    const err = errorOf(() => checkKdfParams(params));
    expect(err.code).toBe("kdf_bounds");
    expect(err.message).toMatch(message);
  });

  it("refuse a hostile slot quickly instead of hashing with it", () => {
    const slot = { ...sealPassphraseSlot(newDataKey(), "correct horse battery staple"), mem: 2 ** 40 };
    const err = errorOf(() => openPassphraseSlot(slot, "correct horse battery staple"));
    expect(err.code).toBe("kdf_bounds");
  });
});
