import { encrypt, PrivateKey } from "eciesjs";
import { describe, expect, it } from "vitest";
import { dotenvxKeyOf, openDotenvxValue } from "../../src/crypto/dotenvx.js";
import { dotenvxPrivateKeyName } from "../../src/vault/dotenvx.js";

describe("the dotenvx private key's name, as dotenvx derives it", () => {
  it("comes from the file name", () => {
    const cases: Record<string, string> = {
      ".env": "DOTENV_PRIVATE_KEY",
      ".env.production": "DOTENV_PRIVATE_KEY_PRODUCTION",
      "config/.env.Staging": "DOTENV_PRIVATE_KEY_STAGING",
      ".env.production.local": "DOTENV_PRIVATE_KEY_PRODUCTION_LOCAL",
      ".env.a.b.c": "DOTENV_PRIVATE_KEY_A_B",
      ".env.ci.txt": "DOTENV_PRIVATE_KEY_CI",
      ".env1": "DOTENV_PRIVATE_KEY_DEVELOPMENT1",
    };
    for (const [file, name] of Object.entries(cases)) expect(dotenvxPrivateKeyName(file, {}), file).toBe(name);
  });

  it("comes from the file's DOTENV_PUBLIC_KEY entry first, and is DOTENV_PRIVATE_KEY for stdin without one", () => {
    expect(dotenvxPrivateKeyName(".env", { A: "1", DOTENV_PUBLIC_KEY_CI: "02ab" })).toBe("DOTENV_PRIVATE_KEY_CI");
    expect(dotenvxPrivateKeyName(undefined, { A: "1" })).toBe("DOTENV_PRIVATE_KEY");
  });
});

describe("opening a dotenvx value", () => {
  const secret = new PrivateKey();
  const other = new PrivateKey();
  const sealed = (text: string) => Buffer.from(encrypt(secret.publicKey.toHex(), Buffer.from(text))).toString("base64");
  const keyOf = (k: PrivateKey) => dotenvxKeyOf(Buffer.from(k.secret).toString("hex"))!;

  it("gives the plaintext with the right key, trying each key given", () => {
    expect(openDotenvxValue([keyOf(secret)], sealed("a\nb $X ${Y}"))).toEqual({ value: "a\nb $X ${Y}" });
    expect(openDotenvxValue([keyOf(other), keyOf(secret)], sealed(""))).toEqual({ value: "" });
  });

  it("tells a wrong key from a malformed value", () => {
    expect(openDotenvxValue([keyOf(other)], sealed("x"))).toEqual({ problem: "wrong_key" });
    for (const bad of ["", "!!!!", sealed("x").slice(0, 40), Buffer.alloc(120, 7).toString("base64")]) {
      expect(openDotenvxValue([keyOf(secret)], bad), bad).toEqual({ problem: "malformed" });
    }
  });

  it("accepts only 64 hex digits that are a secp256k1 key, and wipes it", () => {
    expect(dotenvxKeyOf("abc")).toBeUndefined();
    expect(dotenvxKeyOf("0".repeat(64))).toBeUndefined();
    expect(dotenvxKeyOf("f".repeat(64))).toBeUndefined();
    const key = keyOf(secret);
    key.wipe();
    expect(key.bytes.every((b) => b === 0)).toBe(true);
  });
});
