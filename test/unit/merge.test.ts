import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { deriveKeys, formatKeyString, loadSodium, newDataKey, newIdentity, openValue, sealToRecipient, toB64, verifyEnvironmentMac, type EnvKeys } from "../../src/crypto/index.js";
import type { KeySlot, VaultDoc } from "../../src/format/index.js";
import { mergeVaults, type SideOpener } from "../../src/vault/merge.js";
import { keyAnswer, tryOpenEnvironment } from "../../src/vault/open.js";
import { keyedEnvironment, sealedEnvironment, vaultOf } from "../support/environments.js";

let keys: EnvKeys;
beforeAll(async () => {
  await loadSodium();
  keys = deriveKeys(newDataKey());
});

const ID = "vault-id-0123456789";
const PLACE = { vaultId: ID, envName: "dev", isDefault: true };

/** The real door, with the dev key in VAULT_KEY (or no key at all), in a HOME of its own. */
function opener(ours: VaultDoc, theirs: VaultDoc, withKey = true): SideOpener {
  const environ: NodeJS.ProcessEnv = { HOME: mkdtempSync(path.join(tmpdir(), "sealenv-merge-")) };
  if (withKey) environ.VAULT_KEY = formatKeyString("dev", keys.dataKey);
  const docs = { ours, theirs };
  return async (side, envName) => keyAnswer(await tryOpenEnvironment({ cwd: "/", environ }, { file: "merge", doc: docs[side] }, envName, { atLocation: false }));
}

/** The dev environment holding `values`; values unchanged from `sealedFrom` keep their ciphertext, as `vault set` leaves them. */
function vault(values: Record<string, string>, sealedFrom?: VaultDoc): VaultDoc {
  return vaultOf(ID, "dev", { dev: sealedEnvironment(keys, PLACE, values, {}, sealedFrom?.environments.dev?.secrets) });
}

const valuesOf = (doc: VaultDoc) =>
  Object.fromEntries(Object.entries(doc.environments.dev!.secrets).map(([n, s]) => [n, openValue(keys, { vaultId: ID, env: "dev", name: n }, s).value]));

describe("mergeVaults", () => {
  it("takes each side's changes to different secrets and recomputes the MAC", async () => {
    const base = vault({ A: "1", B: "2", C: "3" });
    const ours = vault({ A: "1-ours", B: "2", C: "3" }, base);
    const theirs = vault({ A: "1", B: "2", D: "4" }, base);
    const r = await mergeVaults(base, ours, theirs, opener(ours, theirs));
    expect(r.conflicts).toEqual([]);
    expect(valuesOf(r.doc)).toEqual({ A: "1-ours", B: "2", D: "4" });
    expect(() => verifyEnvironmentMac(keys, PLACE, r.doc.environments.dev!)).not.toThrow();
    expect(r.doc.environments.dev!.secrets.B).toBe(base.environments.dev!.secrets.B);
  });

  it("needs no key when only one side changed the environment", async () => {
    const base = vault({ A: "1" });
    const theirs = vault({ A: "2" }, base);
    const r = await mergeVaults(base, base, theirs, opener(base, theirs, false));
    expect(r.conflicts).toEqual([]);
    expect(r.doc.environments.dev).toEqual(theirs.environments.dev);
  });

  it("reports a secret both sides changed, keeping ours", async () => {
    const base = vault({ A: "1", B: "2" });
    const [ours, theirs] = [vault({ A: "ours", B: "2" }, base), vault({ A: "theirs", B: "2-theirs" }, base)];
    const r = await mergeVaults(base, ours, theirs, opener(ours, theirs));
    expect(r.conflicts).toEqual([{ env: "dev", name: "A", reason: "both sides changed it" }]);
    expect(valuesOf(r.doc)).toEqual({ A: "ours", B: "2-theirs" });
  });

  it("does not call the same new value on both sides a conflict", async () => {
    const base = vault({ A: "1" });
    const [ours, theirs] = [vault({ A: "same" }, base), vault({ A: "same" }, base)];
    const r = await mergeVaults(base, ours, theirs, opener(ours, theirs));
    expect(r.conflicts).toEqual([]);
  });

  it("reports a secret removed on one side and changed on the other", async () => {
    const base = vault({ A: "1", B: "2" });
    const [ours, theirs] = [vault({ B: "2" }, base), vault({ A: "changed", B: "2" }, base)];
    const r = await mergeVaults(base, ours, theirs, opener(ours, theirs));
    expect(r.conflicts).toEqual([{ env: "dev", name: "A", reason: "we removed it, they changed it" }]);
  });

  it("keeps our side whole when it lacks the key for an environment both changed", async () => {
    const base = vault({ A: "1", B: "2" });
    const ours = vault({ A: "ours", B: "2" }, base);
    const theirs = vault({ A: "1", B: "theirs" }, base);
    const r = await mergeVaults(base, ours, theirs, opener(ours, theirs, false));
    expect(r.conflicts[0]?.reason).toContain("no key");
    expect(r.doc.environments.dev).toEqual(ours.environments.dev);
  });

  it("refuses to launder a side that fails its integrity check", async () => {
    const base = vault({ A: "1", B: "2" });
    const theirs = vault({ A: "1", B: "theirs" }, base);
    delete theirs.environments.dev!.secrets.A;
    const ours = vault({ A: "ours", B: "2" }, base);
    const r = await mergeVaults(base, ours, theirs, opener(ours, theirs));
    expect(r.conflicts[0]?.reason).toContain("their side fails verification");
    expect(r.doc.environments.dev).toEqual(ours.environments.dev);
  });

  it("does not take a tampered side whole, even when ours did not change", async () => {
    const base = vault({ A: "1" });
    const theirs = vault({ A: "1" }, base);
    // A slot planted without the key, on a branch: the MAC no longer covers the environment.
    theirs.environments.dev!.slots.push({ type: "recipient", member: "mallory", kind: "sealenv", pk: "A".repeat(43), box: "B".repeat(107) });
    const r = await mergeVaults(base, base, theirs, opener(base, theirs));
    expect(r.conflicts[0]?.reason).toContain("their side fails verification");
    expect(r.doc.environments.dev).toEqual(base.environments.dev);
  });

  it("refuses to merge two different vaults", async () => {
    const other = { ...vault({ A: "1" }), id: "another-vault-id-xx" };
    const ours = vault({ A: "1" });
    const r = await mergeVaults(undefined, ours, other, opener(ours, other));
    expect(r.conflicts[0]?.reason).toContain("different vaults");
  });
});

describe("mergeVaults, member slots", () => {
  /** A member slot as `vault member add` writes it: the data key sealed to a fresh identity's public key. */
  const member = (name: string, publicKey = newIdentity().publicKey): KeySlot => ({ type: "recipient", member: name, kind: "sealenv", pk: toB64(publicKey), box: sealToRecipient(keys.dataKey, publicKey) });
  /** The same environment with these slots, re-sealed by a key holder. */
  const withSlots = (doc: VaultDoc, slots: KeySlot[]): VaultDoc => {
    const env = doc.environments.dev!;
    return { ...doc, environments: { dev: keyedEnvironment(keys, PLACE, { secrets: env.secrets, slots }) } };
  };
  const members = (doc: VaultDoc) => doc.environments.dev!.slots.map((slot) => (slot.type === "recipient" ? `${slot.member}:${slot.pk}` : "passphrase")).sort();

  it("keeps a member added on one side when the other side changed a secret", async () => {
    const alice = member("alice");
    const base = withSlots(vault({ A: "1" }), [alice]);
    const bob = member("bob");
    const theirs = withSlots(base, [alice, bob]);
    const ours = withSlots(vault({ A: "1-ours" }, base), [alice]);
    const r = await mergeVaults(base, ours, theirs, opener(ours, theirs));
    expect(r.conflicts).toEqual([]);
    expect(members(r.doc)).toEqual(members(theirs));
    expect(valuesOf(r.doc)).toEqual({ A: "1-ours" });
    expect(() => verifyEnvironmentMac(keys, PLACE, r.doc.environments.dev!)).not.toThrow();
  });

  it("keeps a removal made on one side and an addition made on the other", async () => {
    const [alice, carol] = [member("alice"), member("carol")];
    const base = withSlots(vault({ A: "1" }), [alice, carol]);
    const ours = withSlots(vault({ A: "2" }, base), [alice]);
    const dave = member("dave");
    const theirs = withSlots(base, [alice, carol, dave]);
    const r = await mergeVaults(base, ours, theirs, opener(ours, theirs));
    expect(r.conflicts).toEqual([]);
    expect(members(r.doc)).toEqual([alice, dave].map((x) => `${(x as { member: string }).member}:${(x as { pk: string }).pk}`).sort());
  });

  it("keeps both additions when both sides added a member, with the same key or different ones", async () => {
    const alice = member("alice");
    const base = withSlots(vault({ A: "1" }), [alice]);
    const erin = newIdentity().publicKey;
    // The same person added on both branches: two slots for one key (each box is sealed afresh).
    const ours = withSlots(vault({ A: "2" }, base), [alice, member("erin", erin)]);
    const theirs = withSlots(base, [alice, member("erin", erin), member("frank")]);
    const r = await mergeVaults(base, ours, theirs, opener(ours, theirs));
    expect(r.conflicts).toEqual([]);
    const merged = members(r.doc);
    expect(merged).toContain(`erin:${toB64(erin)}`);
    expect(merged.filter((m) => m.startsWith("frank:"))).toHaveLength(1);
    expect(merged.filter((m) => m === `erin:${toB64(erin)}`)).toHaveLength(2);
    expect(merged).toContain(members(base)[0]);
  });

  it("reports an environment rotated on one side and changed on the other as its own conflict, keeping ours", async () => {
    const base = vault({ A: "1" });
    const rotatedKeys = deriveKeys(newDataKey());
    const ours: VaultDoc = { ...base, environments: { dev: sealedEnvironment(rotatedKeys, PLACE, { A: "1" }, { generation: 1 }) } };
    const theirs = vault({ A: "2" }, base);
    const r = await mergeVaults(base, ours, theirs, opener(ours, theirs));
    expect(r.conflicts).toEqual([{ env: "dev", reason: "rotated on one side and changed on the other: kept our side; re-apply their changes with `vault set`" }]);
    expect(r.doc.environments.dev).toEqual(ours.environments.dev);
  });
});
