import { generateIdentity, identityToRecipient } from "age-encryption";
import { beforeAll, describe, expect, it } from "vitest";
import { bech32Encode } from "../../src/crypto/bech32.js";
import { deriveKeys, formatAgeRecipient, loadSodium, newDataKey, parseAgeIdentities, parseRecipient, pluginRecipientOf, sealToMember, toB64 } from "../../src/crypto/index.js";
import { VaultError } from "../../src/errors.js";
import { parseVault, serializeVault, type KeySlot } from "../../src/format/index.js";
import { ageKeyPlaces } from "../../src/keys/age-source.js";
import { keyedEnvironment, vaultOf } from "../support/environments.js";

beforeAll(loadSodium);

describe("age recipients and identities", () => {
  it("reads an age1 recipient as its X25519 key and writes the same string back", async () => {
    const recipient = await identityToRecipient(await generateIdentity());
    const parsed = parseRecipient(recipient);
    expect(parsed.kind).toBe("age");
    expect(formatAgeRecipient(parsed.publicKey)).toBe(recipient);
  });

  it("finds every identity of a keys.txt, and names the plugins of its plugin identities", async () => {
    const [a, b] = [await generateIdentity(), await generateIdentity()];
    const text = `# created: now\n# public key: ${await identityToRecipient(a)}\n${a}\n\nAGE-PLUGIN-YUBIKEY-1QQQQQQ\n${b}\n`;
    const { identities, plugins } = parseAgeIdentities(text, "keys.txt");
    expect(identities.map((i) => i.secret)).toEqual([a, b]);
    expect(formatAgeRecipient(identities[0]!.publicKey)).toBe(await identityToRecipient(a));
    expect(plugins).toEqual(["yubikey"]);
  });

  it("reads a plugin recipient as the plugin's, and names the plugin of a damaged one", () => {
    const recipient = bech32Encode("age1sealtest", new Uint8Array(32).fill(5));
    expect(parseRecipient(recipient).kind).toBe("age-plugin");
    expect(() => parseRecipient(`${recipient.slice(0, -1)}q`)).toThrow(/age-plugin-sealtest/);
  });

  it("says which line of a file is not an age identity", () => {
    expect(() => parseAgeIdentities("# ok\nAGE-SECRET-KEY-1NOTBECH32\n", "keys.txt")).toThrow(/line 2/);
    expect(() => parseAgeIdentities("# only comments\n", "keys.txt")).toThrow(VaultError);
  });

  it("looks for SOPS's keys.txt where SOPS does on each system", () => {
    const last = (environ: NodeJS.ProcessEnv, platform: NodeJS.Platform) => ageKeyPlaces(environ, platform).at(-1)!.file;
    expect(last({ HOME: "/h" }, "linux")).toBe("/h/.config/sops/age/keys.txt");
    expect(last({ HOME: "/h", XDG_CONFIG_HOME: "/x" }, "linux")).toBe("/x/sops/age/keys.txt");
    expect(last({ HOME: "/h" }, "darwin")).toBe("/h/Library/Application Support/sops/age/keys.txt");
    expect(last({ HOME: "/h", XDG_CONFIG_HOME: "/x" }, "darwin")).toBe("/x/sops/age/keys.txt");
    expect(last({ HOME: "/h", APPDATA: "/appdata" }, "win32")).toMatch(/appdata.sops.age.keys\.txt$/);
    const order = ageKeyPlaces({ HOME: "/h", VAULT_AGE_KEY_FILE: "/v", SOPS_AGE_KEY_FILE: "/s", SOPS_AGE_KEY: "text" }, "linux").map((p) => p.origin);
    expect(order).toEqual(["VAULT_AGE_KEY_FILE", "SOPS_AGE_KEY_FILE", "SOPS_AGE_KEY", "/h/.config/sops/age/keys.txt"]);
  });
});

describe("the age slot in the file format", () => {
  const withSlot = async (change: (slot: Record<string, unknown>) => void): Promise<string> => {
    const keys = deriveKeys(newDataKey());
    const publicKey = parseRecipient(await identityToRecipient(await generateIdentity())).publicKey;
    const slot: KeySlot = { type: "recipient", member: "ann", kind: "age", pk: toB64(publicKey), box: await sealToMember({ kind: "age", publicKey }, keys.dataKey) };
    const place = { vaultId: "vault-id-0123456789", envName: "development", isDefault: true };
    const text = serializeVault(vaultOf(place.vaultId, "development", { development: keyedEnvironment(keys, place, { slots: [slot] }) }));
    const doc = JSON.parse(text) as { environments: { development: { slots: Record<string, unknown>[] } } };
    change(doc.environments.development.slots[0]!);
    return JSON.stringify(doc);
  };

  it("round-trips an age slot", async () => {
    const canonical = serializeVault(parseVault(await withSlot(() => undefined)));
    expect(serializeVault(parseVault(canonical))).toBe(canonical);
    expect(parseVault(canonical).environments.development!.slots[0]).toMatchObject({ kind: "age", member: "ann" });
  });

  it("keeps an age plugin slot's recipient string in pk, and refuses one that is not a plugin recipient", async () => {
    const recipient = bech32Encode("age1sealtest", new Uint8Array(32).fill(3));
    const box = Buffer.concat([Buffer.from("age-encryption.org/v1\n-> sealtest x\n"), Buffer.alloc(100, 1)]).toString("base64url");
    const text = await withSlot((slot) => Object.assign(slot, { kind: "age-plugin", pk: Buffer.from(recipient).toString("base64url"), box }));
    const slot = parseVault(text).environments.development!.slots[0];
    expect(slot?.type === "recipient" && pluginRecipientOf(slot.pk)).toBe(recipient);
    const x25519 = await withSlot((slot) => Object.assign(slot, { kind: "age-plugin", box }));
    expect(() => parseVault(x25519)).toThrow(/invalid age plugin recipient/);
  });

  it.each([
    ["a box that is not an age file", (s: Record<string, unknown>) => (s.box = Buffer.alloc(80, 1).toString("base64url"))],
    ["a box far larger than an age file of a key", (s: Record<string, unknown>) => (s.box = Buffer.concat([Buffer.from("age-encryption.org/v1\n"), Buffer.alloc(4096)]).toString("base64url"))],
    ["an unknown recipient kind", (s: Record<string, unknown>) => (s.kind = "pgp")],
  ])("refuses %s", async (_name, change) => {
    const text = await withSlot(change);
    expect(() => parseVault(text)).toThrow(/bad_vault|invalid box|unknown recipient kind/);
  });
});
