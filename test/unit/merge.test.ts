import { beforeAll, describe, expect, it } from "vitest";
import { deriveKeys, environmentMac, loadSodium, newDataKey, openValue, sealValue, verifyEnvironmentMac, type EnvKeys } from "../../src/crypto/index.js";
import type { Environment, VaultDoc } from "../../src/format/index.js";
import { mergeVaults } from "../../src/vault/merge.js";

let keys: EnvKeys;
beforeAll(async () => {
  await loadSodium();
  keys = deriveKeys(newDataKey());
});

const ID = "vault-id-0123456789";

function vault(values: Record<string, string>, sealedFrom?: VaultDoc): VaultDoc {
  const previous = sealedFrom?.environments.dev?.secrets ?? {};
  const secrets: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const old = previous[name];
    secrets[name] = old && openValue(keys, { vaultId: ID, env: "dev", name }, old).value === value ? old : sealValue(keys, { vaultId: ID, env: "dev", name }, value);
  }
  const env: Environment = { keyId: keys.keyId, retiredKeyIds: [], keyLinks: [], slots: [], secrets, mac: "" };
  env.mac = environmentMac(keys, ID, "dev", env);
  return { version: 1, id: ID, defaultEnv: "dev", environments: { dev: env } };
}

const valuesOf = (doc: VaultDoc) =>
  Object.fromEntries(Object.entries(doc.environments.dev!.secrets).map(([n, s]) => [n, openValue(keys, { vaultId: ID, env: "dev", name: n }, s).value]));

describe("mergeVaults", () => {
  it("takes each side's changes to different secrets and recomputes the MAC", async () => {
    const base = vault({ A: "1", B: "2", C: "3" });
    const ours = vault({ A: "1-ours", B: "2", C: "3" }, base);
    const theirs = vault({ A: "1", B: "2", D: "4" }, base);
    const r = await mergeVaults(base, ours, theirs, async () => keys);
    expect(r.conflicts).toEqual([]);
    expect(valuesOf(r.doc)).toEqual({ A: "1-ours", B: "2", D: "4" });
    expect(() => verifyEnvironmentMac(keys, ID, "dev", r.doc.environments.dev!)).not.toThrow();
    expect(r.doc.environments.dev!.secrets.B).toBe(base.environments.dev!.secrets.B);
  });

  it("needs no key when only one side changed the environment", async () => {
    const base = vault({ A: "1" });
    const theirs = vault({ A: "2" }, base);
    const r = await mergeVaults(base, base, theirs, async () => undefined);
    expect(r.conflicts).toEqual([]);
    expect(r.doc.environments.dev).toEqual(theirs.environments.dev);
  });

  it("reports a secret both sides changed, keeping ours", async () => {
    const base = vault({ A: "1", B: "2" });
    const r = await mergeVaults(base, vault({ A: "ours", B: "2" }, base), vault({ A: "theirs", B: "2-theirs" }, base), async () => keys);
    expect(r.conflicts).toEqual([{ env: "dev", name: "A", reason: "both sides changed it" }]);
    expect(valuesOf(r.doc)).toEqual({ A: "ours", B: "2-theirs" });
  });

  it("does not call the same new value on both sides a conflict", async () => {
    const base = vault({ A: "1" });
    const r = await mergeVaults(base, vault({ A: "same" }, base), vault({ A: "same" }, base), async () => keys);
    expect(r.conflicts).toEqual([]);
  });

  it("reports a secret removed on one side and changed on the other", async () => {
    const base = vault({ A: "1", B: "2" });
    const r = await mergeVaults(base, vault({ B: "2" }, base), vault({ A: "changed", B: "2" }, base), async () => keys);
    expect(r.conflicts).toEqual([{ env: "dev", name: "A", reason: "we removed it, they changed it" }]);
  });

  it("keeps our side whole when it lacks the key for an environment both changed", async () => {
    const base = vault({ A: "1", B: "2" });
    const ours = vault({ A: "ours", B: "2" }, base);
    const r = await mergeVaults(base, ours, vault({ A: "1", B: "theirs" }, base), async () => undefined);
    expect(r.conflicts[0]?.reason).toContain("no key");
    expect(r.doc.environments.dev).toEqual(ours.environments.dev);
  });

  it("refuses to launder a side that fails its integrity check", async () => {
    const base = vault({ A: "1", B: "2" });
    const theirs = vault({ A: "1", B: "theirs" }, base);
    delete theirs.environments.dev!.secrets.A;
    const r = await mergeVaults(base, vault({ A: "ours", B: "2" }, base), theirs, async () => keys);
    expect(r.conflicts[0]?.reason).toContain("integrity");
  });

  it("refuses to merge two different vaults", async () => {
    const other = { ...vault({ A: "1" }), id: "another-vault-id-xx" };
    const r = await mergeVaults(undefined, vault({ A: "1" }), other, async () => keys);
    expect(r.conflicts[0]?.reason).toContain("different vaults");
  });
});
