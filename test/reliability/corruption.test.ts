import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { deriveKeys, formatKeyString, loadSodium, newDataKey, newVaultId, openPassphraseSlot, type EnvKeys } from "../../src/crypto/index.js";
import { VaultError } from "../../src/errors.js";
import { parseVault, serializeVault, type Environment, type VaultDoc } from "../../src/format/index.js";
import { openEnvironment } from "../../src/vault/open.js";
import { readRawSecrets } from "../../src/vault/secrets.js";
import { reseal, sealedEnvironment, vaultOf } from "../support/environments.js";
import { errorOf, outcomeOf } from "../support/errors.js";
import { pick } from "./size.js";

const VALUES = { API_KEY: "sk_live_0123456789abcdef", DATABASE_URL: "postgres://app:pw@db:5432/app" };
let doc: VaultDoc;
let keys: EnvKeys;
let text: string;
const environ: NodeJS.ProcessEnv = { HOME: mkdtempSync(path.join(tmpdir(), "sealenv-corruption-")) };

function build(values: Record<string, string>, envName = "development", k = deriveKeys(newDataKey()), id = newVaultId()): { doc: VaultDoc; keys: EnvKeys } {
  return { doc: vaultOf(id, envName, { [envName]: sealedEnvironment(k, { vaultId: id, envName, isDefault: true }, values) }), keys: k };
}

/** What a reader makes of some bytes: the values, or the class of its error. Anything else is a bug. */
async function read(bytes: string, env = "development"): Promise<{ values?: Record<string, string>; code?: string }> {
  const { value, error } = await outcomeOf(async () => {
    const d = parseVault(bytes);
    const found = await openEnvironment({ cwd: "/", environ }, { file: "t", doc: d }, env, { atLocation: false, remember: false });
    return readRawSecrets(d, env, found.keys);
  });
  return error ? { code: error.code } : { values: value };
}

beforeAll(async () => {
  await loadSodium();
  ({ doc, keys } = build(VALUES));
  text = serializeVault(doc);
  environ.HOME = mkdtempSync(path.join(tmpdir(), "sealenv-rel-"));
  environ.VAULT_KEY = formatKeyString("development", keys.dataKey);
});

describe("corrupted vaults", () => {
  it("never yields a wrong value for any single-bit flip; every rejection has its own class", async () => {
    const bytes = Buffer.from(text);
    const classes = new Map<string, number>();
    let sameValues = 0;
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const copy = Buffer.from(bytes);
      copy[bit >> 3]! ^= 1 << (bit & 7);
      const r = await read(copy.toString("utf8"));
      if (r.values) {
        expect(r.values).toEqual(VALUES);
        sameValues++;
      } else classes.set(r.code!, (classes.get(r.code!) ?? 0) + 1);
    }
    // Flips that keep the values (JSON whitespace, equivalent escapes) are fine; nothing else is accepted.
    console.log(`bit flips: ${bytes.length * 8}, accepted with identical values: ${sameValues}, rejected: ${JSON.stringify(Object.fromEntries(classes))}`);
    expect([...classes.keys()].every((c) => ["bad_vault", "integrity", "unsupported_version", "bad_key_string", "other_env_key", "not_found", "wrong_key", "stale_key"].includes(c))).toBe(true);
  });

  it("rejects every truncation and 1-64 appended bytes, or reads the same values", async () => {
    for (let len = 0; len < text.length; len++) {
      const r = await read(text.slice(0, len));
      if (r.values) expect(r.values).toEqual(VALUES);
      else expect(r.code).toBeDefined();
    }
    const trials = pick(3, 20);
    for (let n = 1; n <= 64; n++) {
      for (let t = 0; t < trials; t++) {
        const junk = Buffer.from(Array.from({ length: n }, () => Math.floor(Math.random() * 256)));
        const r = await read(text + junk.toString("latin1"));
        if (r.values) expect(r.values).toEqual(VALUES);
        else expect(r.code).toBe("bad_vault");
      }
    }
  });

  it("rejects ciphertexts swapped between names, environments and vaults", async () => {
    const two = build(VALUES, "staging", keys, doc.id).doc.environments.staging!;
    const other = build(VALUES, "development", keys).doc.environments.development!;
    const sources: [string, Environment, string][] = [
      ["same env", doc.environments.development!, "development"],
      ["other env, same key", two, "staging"],
      ["other vault, same key", other, "development"],
    ];
    let rejected = 0;
    for (const [, from] of sources) {
      for (const fromName of Object.keys(from.secrets)) {
        for (const toName of Object.keys(VALUES)) {
          if (from === doc.environments.development && fromName === toName) continue;
          const d = structuredClone(doc);
          const env = d.environments.development!;
          env.secrets[toName] = from.secrets[fromName]!;
          // Even with the MAC recomputed by someone holding the key, the binding catches it.
          for (const remac of [false, true]) {
            if (remac) reseal(d, "development", keys);
            const r = await read(serializeVault(d));
            expect(r.code).toBe("integrity");
            rejected++;
          }
        }
      }
    }
    expect(rejected).toBe(20);
  });

  it("rejects out-of-bounds KDF parameters before any hashing, in milliseconds", () => {
    const base = { type: "passphrase" as const, kdf: "argon2id13" as const, salt: "AAAAAAAAAAAAAAAAAAAAAA", nonce: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", box: "AAAA" };
    const cases = [
      { ops: 1, mem: 268435456 },
      { ops: 2, mem: 268435456 },
      { ops: 2 ** 31, mem: 268435456 },
      { ops: 3, mem: 1024 },
      { ops: 3, mem: 67108864 },
      { ops: 3, mem: 2 ** 40 },
      { ops: 3, mem: Number.MAX_SAFE_INTEGER },
    ];
    for (const params of cases) {
      const started = performance.now();
      const code = errorOf(() => openPassphraseSlot({ ...base, ...params }, "correct horse battery staple")).code;
      const ms = performance.now() - started;
      expect(code).toBe("kdf_bounds");
      expect(ms).toBeLessThan(50);
    }
    expect(() => parseVault(text.replace('"slots": []', `"slots": [${JSON.stringify({ ...base, kdf: "pbkdf2", ops: 3, mem: 268435456 })}]`))).toThrow(VaultError);
  });

  it("parses arbitrary input without ever throwing anything but its own error type", () => {
    const mutated = fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 40 }), fc.string({ maxLength: 40 })).map(([at, cut, insert]) => text.slice(0, at) + insert + text.slice(at + cut));
    const jsonish = fc.json().map((j) => j);
    const objects = fc.anything().map((a) => JSON.stringify({ sealenv: 1, id: "AAAAAAAAAAAAAAAAAAAAAA", default: "development", environments: a }) ?? "");
    fc.assert(
      fc.property(fc.oneof(mutated, jsonish, objects, fc.string()), (input) => {
        try {
          parseVault(input);
        } catch (err) {
          if (!(err instanceof VaultError)) throw err;
        }
      }),
      { numRuns: 10_000 },
    );
  });
});
