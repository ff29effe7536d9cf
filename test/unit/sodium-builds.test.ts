import { createHash } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { environmentMac, openValue, sealValue, deriveKeys, newDataKey, signerOf, signKeyLink, linksLeadTo, keyIdOf } from "../../src/crypto/index.js";
import { loadSodium, useSodium, type Sodium } from "../../src/crypto/sodium.js";
import { nativeSodium } from "../../src/crypto/sodium-native.js";
import { wasmSodium } from "../../src/crypto/sodium-wasm.js";
import { ROOT } from "../support/cli.js";
import { readVectors, runVector } from "../support/vectors.js";

/**
 * The native build (sodium-native's prebuild) and the WebAssembly fallback are the same
 * libsodium: what one writes the other reads, byte for byte. Held here on every call
 * sealenv makes and on the committed test vectors, read through each build in turn.
 */
let native: Sodium;
let wasm: Sodium;
let usual: Sodium;

beforeAll(async () => {
  usual = await loadSodium();
  const loaded = nativeSodium();
  // This machine (and CI's, Linux x64) has a prebuild: a test that quietly compared WASM with itself would prove nothing.
  if (!loaded) throw new Error("sodium-native did not load here");
  native = loaded;
  wasm = await wasmSodium();
});
afterAll(() => useSodium(usual));

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);
const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

describe("the native and WebAssembly builds", () => {
  it("are the two builds they say they are, and the native one is the default where it loads", () => {
    expect(native.build).toBe("native");
    expect(wasm.build).toBe("wasm");
    expect(usual.build).toBe("native");
  });

  it("compute the same bytes for every deterministic call sealenv makes", () => {
    const key = bytes(32, 1);
    const nonce = bytes(24, 2);
    const message = new TextEncoder().encode("postgres://app:pw@db/app ✓");
    const seed = bytes(32, 3);
    const sameBytes = (f: (lib: Sodium) => Uint8Array) => {
      const a = f(native);
      expect(a.length).toBeGreaterThan(0);
      expect(hex(a)).toBe(hex(f(wasm)));
    };
    sameBytes((l) => l.crypto_secretbox_easy(message, nonce, key));
    sameBytes((l) => l.crypto_secretbox_open_easy(l.crypto_secretbox_easy(message, nonce, key), nonce, key));
    for (const size of [16, 32, 64]) {
      sameBytes((l) => l.crypto_generichash(size, message, null));
      sameBytes((l) => l.crypto_generichash(size, message, key));
    }
    for (const id of [1, 2, 3, 7]) sameBytes((l) => l.crypto_kdf_derive_from_key(32, id, "sealenv_", key));
    sameBytes((l) => l.crypto_kdf_derive_from_key(16, 3, "sealenv_", key));
    sameBytes((l) => l.crypto_scalarmult_base(seed));
    sameBytes((l) => l.crypto_sign_seed_keypair(seed).publicKey);
    sameBytes((l) => l.crypto_sign_seed_keypair(seed).privateKey);
    sameBytes((l) => l.crypto_sign_detached(message, l.crypto_sign_seed_keypair(seed).privateKey));
    sameBytes((l) => l.crypto_sign_ed25519_pk_to_curve25519(l.crypto_sign_seed_keypair(seed).publicKey));
    sameBytes((l) => l.crypto_sign_ed25519_sk_to_curve25519(l.crypto_sign_seed_keypair(seed).privateKey));
    // The smallest Argon2id cost libsodium takes: the same function as MODERATE, in milliseconds.
    sameBytes((l) => l.crypto_pwhash_argon2id(32, message, bytes(16, 4), 1, 8192));
    sameBytes((l) => l.crypto_hash_sha256(message));
    expect(hex(native.crypto_hash_sha256(message))).toBe(createHash("sha256").update(message).digest("hex"));
    for (const l of [native, wasm]) {
      const drawn = [l.randombytes_buf(24), l.randombytes_buf(24)];
      expect(drawn.map((d) => d.length)).toEqual([24, 24]);
      expect(hex(drawn[0] as Uint8Array)).not.toBe(hex(drawn[1] as Uint8Array));
      expect(l.memcmp(bytes(8, 5), bytes(8, 5))).toBe(true);
      expect(l.memcmp(bytes(8, 5), bytes(8, 6))).toBe(false);
      expect(l.is_zero(new Uint8Array(8))).toBe(true);
      expect(l.is_zero(bytes(8, 1))).toBe(false);
    }
  });

  it("open what the other sealed, and refuse what was altered, alike", () => {
    for (const [writer, reader] of [
      [native, wasm],
      [wasm, native],
    ] as const) {
      const key = writer.crypto_kdf_keygen();
      const nonce = bytes(24, 9);
      const box = writer.crypto_secretbox_easy(new TextEncoder().encode("s3cret"), nonce, key);
      expect(new TextDecoder().decode(reader.crypto_secretbox_open_easy(box, nonce, key))).toBe("s3cret");
      box[0] = (box[0] as number) ^ 1;
      expect(() => reader.crypto_secretbox_open_easy(box, nonce, key)).toThrow();
      expect(() => reader.crypto_secretbox_open_easy(new Uint8Array(5), nonce, key)).toThrow();

      const pair = writer.crypto_box_keypair();
      const sealed = writer.crypto_box_seal(key, pair.publicKey);
      expect(hex(reader.crypto_box_seal_open(sealed, pair.publicKey, pair.privateKey))).toBe(hex(key));
      sealed[sealed.length - 1] = (sealed[sealed.length - 1] as number) ^ 1;
      expect(() => reader.crypto_box_seal_open(sealed, pair.publicKey, pair.privateKey)).toThrow();

      const signing = writer.crypto_sign_seed_keypair(bytes(32, 11));
      const signature = writer.crypto_sign_detached(key, signing.privateKey);
      expect(reader.crypto_sign_verify_detached(signature, key, signing.publicKey)).toBe(true);
      expect(reader.crypto_sign_verify_detached(signature, bytes(32, 12), signing.publicKey)).toBe(false);
      expect(reader.memcmp(bytes(8, 1), bytes(9, 1))).toBe(false);
    }
  });

  it("refuse arguments of the wrong size with an error, never reading or writing past a buffer", () => {
    for (const l of [native, wasm]) {
      const key = bytes(32, 1);
      expect(() => l.crypto_secretbox_easy(bytes(5, 1), bytes(23, 1), key)).toThrow();
      expect(() => l.crypto_secretbox_easy(bytes(5, 1), bytes(24, 1), bytes(31, 1))).toThrow();
      expect(() => l.crypto_secretbox_open_easy(bytes(15, 1), bytes(24, 1), key)).toThrow();
      expect(() => l.crypto_box_seal(key, bytes(31, 1))).toThrow();
      expect(() => l.crypto_box_seal_open(bytes(47, 1), key, key)).toThrow();
      expect(() => l.crypto_kdf_derive_from_key(32, 1, "too long a context", key)).toThrow();
      expect(() => l.crypto_generichash(32, key, bytes(65, 1))).toThrow();
      expect(() => l.crypto_sign_detached(key, bytes(32, 1))).toThrow();
      expect(() => l.crypto_scalarmult_base(bytes(31, 1))).toThrow();
      expect(l.crypto_sign_verify_detached(bytes(63, 1), key, key)).toBe(false);
    }
  });

  it("read values, MACs and key links sealenv wrote through the other, byte for byte", () => {
    const place = { vaultId: "AAAAAAAAAAAAAAAAAAAAAA", env: "production", name: "DATABASE_URL" };
    for (const [writer, reader] of [
      [native, wasm],
      [wasm, native],
    ] as const) {
      useSodium(writer);
      const dataKey = newDataKey();
      const keys = deriveKeys(dataKey);
      const sealed = sealValue(keys, place, "postgres://app:pw@db/app", { updated: "2026-01-01T00:00:00.000Z", rotateEvery: "90d" });
      const env = { generation: 1, keyId: keys.keyId, signer: signerOf(keys), retiredKeyIds: [], keyLinks: [], slots: [], secrets: { DATABASE_URL: sealed } };
      const envPlace = { vaultId: place.vaultId, envName: place.env, isDefault: true };
      const mac = environmentMac(keys, envPlace, env);
      const next = deriveKeys(newDataKey());
      const link = signKeyLink(place.vaultId, place.env, keys, { generation: 2, keyId: next.keyId, signer: signerOf(next) });

      useSodium(reader);
      const again = deriveKeys(Uint8Array.from(dataKey));
      expect(again.keyId).toBe(keys.keyId);
      expect(keyIdOf(dataKey)).toBe(keys.keyId);
      expect(hex(again.valueKey)).toBe(hex(keys.valueKey));
      expect(openValue(again, place, sealed)).toEqual({ value: "postgres://app:pw@db/app", updated: "2026-01-01T00:00:00.000Z", created: "2026-01-01T00:00:00.000Z", rotateEvery: "90d" });
      expect(environmentMac(again, envPlace, env)).toBe(mac);
      expect(signerOf(again)).toBe(env.signer);
      expect(linksLeadTo(place.vaultId, place.env, { generation: 1, keyId: keys.keyId, signer: env.signer }, [link], { generation: 2, keyId: next.keyId, signer: signerOf(next) })).toBe(true);
    }
  });

  // test/vectors.test.ts reads them through the native build, as every command does here.
  describe("reading every committed test vector through the WebAssembly build", () => {
    const vectors = readVectors(path.join(ROOT, "test/vectors"));
    beforeAll(() => useSodium(wasm));
    it.each(vectors.map((v) => [v.file, v] as const))("%s", async (_file, vector) => {
      const result = await runVector(vector);
      expect(result.outcome, result.message).toBe(vector.header.expect);
      if (vector.header.expect === "success") expect(result.sha256).toBe(vector.header.sha256);
    });
  });
});
