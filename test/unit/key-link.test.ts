import { beforeAll, describe, expect, it } from "vitest";
import { deriveKeys, linksLeadTo, loadSodium, newDataKey, signerOf, signKeyLink, type EnvKeys, type KeyAnchor } from "../../src/crypto/index.js";

beforeAll(async () => {
  await loadSodium();
});

const fresh = (): EnvKeys => deriveKeys(newDataKey());
const anchor = (keys: EnvKeys, generation: number): KeyAnchor => ({ generation, keyId: keys.keyId, signer: signerOf(keys) });

describe("key lineage (signed links, checked without any key)", () => {
  it("follows several rotations from the key this machine last verified", () => {
    const [k1, k2, k3] = [fresh(), fresh(), fresh()];
    const links = [signKeyLink("v", "prod", k1, anchor(k2, 1)), signKeyLink("v", "prod", k2, anchor(k3, 2))];
    expect(linksLeadTo("v", "prod", anchor(k1, 0), links, anchor(k3, 2))).toBe(true);
  });

  it("refuses a key with no link from the trusted one", () => {
    const [k1, k2] = [fresh(), fresh()];
    expect(linksLeadTo("v", "prod", anchor(k1, 0), [], anchor(k2, 1))).toBe(false);
  });

  it("refuses a link forged without the old key", () => {
    const [k1, k2, forger] = [fresh(), fresh(), fresh()];
    // Signed with a key the attacker holds, claiming to start from k1.
    const forged = { ...signKeyLink("v", "prod", forger, anchor(k2, 1)), from: k1.keyId };
    expect(linksLeadTo("v", "prod", anchor(k1, 0), [forged], anchor(k2, 1))).toBe(false);
  });

  it("refuses a genuine link replayed into another environment or vault", () => {
    const [k1, k2] = [fresh(), fresh()];
    expect(linksLeadTo("v", "prod", anchor(k1, 0), [signKeyLink("v", "staging", k1, anchor(k2, 1))], anchor(k2, 1))).toBe(false);
    expect(linksLeadTo("v", "prod", anchor(k1, 0), [signKeyLink("w", "prod", k1, anchor(k2, 1))], anchor(k2, 1))).toBe(false);
  });

  it("refuses a link whose generation or signer was changed after signing", () => {
    const [k1, k2] = [fresh(), fresh()];
    const link = signKeyLink("v", "prod", k1, anchor(k2, 1));
    expect(linksLeadTo("v", "prod", anchor(k1, 0), [{ ...link, generation: 9 }], { ...anchor(k2, 1), generation: 9 })).toBe(false);
    expect(linksLeadTo("v", "prod", anchor(k1, 0), [{ ...link, signer: signerOf(fresh()) }], anchor(k2, 1))).toBe(false);
  });

  it("does not let a removed member's old key vouch for a fork past a newer key", () => {
    const [k1, k2, fork] = [fresh(), fresh(), fresh()];
    // k1 is what mallory still holds; the team rotated to k2. She signs k1 -> fork at generation 2.
    const links = [signKeyLink("v", "prod", k1, anchor(k2, 1)), signKeyLink("v", "prod", k1, anchor(fork, 2))];
    expect(linksLeadTo("v", "prod", anchor(k2, 1), links, anchor(fork, 2))).toBe(false);
  });
});
