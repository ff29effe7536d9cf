import { beforeAll, describe, expect, it } from "vitest";
import { deriveKeys, linkKeyOf, loadSodium, makeKeyLink, newDataKey, verifyKeyChain, type EnvKeys } from "../../src/crypto/index.js";
import { IntegrityError } from "../../src/errors.js";

beforeAll(async () => {
  await loadSodium();
});

const fresh = (): EnvKeys => deriveKeys(newDataKey());

describe("key lineage", () => {
  it("follows several rotations from the key this client last saw", () => {
    const [k1, k2, k3] = [fresh(), fresh(), fresh()];
    const links = [makeKeyLink("v", "prod", k1, k2), makeKeyLink("v", "prod", k2, k3)];
    expect(() => verifyKeyChain("v", "prod", k1.keyId, linkKeyOf(k1), links, k3)).not.toThrow();
  });

  it("refuses a key with no link from the trusted one", () => {
    const [k1, k2] = [fresh(), fresh()];
    const err = (() => {
      try {
        verifyKeyChain("v", "prod", k1.keyId, linkKeyOf(k1), [], k2);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(IntegrityError);
    expect((err as IntegrityError).reason).toBe("replaced");
  });

  it("refuses a link forged without the old key", () => {
    const [k1, k2, forger] = [fresh(), fresh(), fresh()];
    // Made with a key the attacker holds, claiming to start from k1.
    const forged = { ...makeKeyLink("v", "prod", forger, k2), from: k1.keyId };
    expect(() => verifyKeyChain("v", "prod", k1.keyId, linkKeyOf(k1), [forged], k2)).toThrow(IntegrityError);
  });

  it("refuses a genuine link replayed into another environment", () => {
    const [k1, k2] = [fresh(), fresh()];
    const link = makeKeyLink("v", "staging", k1, k2);
    expect(() => verifyKeyChain("v", "prod", k1.keyId, linkKeyOf(k1), [link], k2)).toThrow(IntegrityError);
  });
});
