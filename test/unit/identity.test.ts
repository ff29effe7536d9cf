import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  formatIdentity,
  formatRecipient,
  identityFromOpenSsh,
  loadSodium,
  newDataKey,
  newIdentity,
  openSealed,
  parseIdentity,
  parseRecipient,
  sealToRecipient,
} from "../../src/crypto/index.js";
import { VaultError } from "../../src/errors.js";

const dir = mkdtempSync(path.join(tmpdir(), "sealenv-ssh-"));
beforeAll(async () => {
  await loadSodium();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("identities and recipients", () => {
  it("round-trip through their strings and open what was sealed to them", () => {
    const id = newIdentity();
    const again = parseIdentity(formatIdentity(id), "test");
    expect(Buffer.from(again.publicKey).equals(Buffer.from(id.publicKey))).toBe(true);
    const recipient = parseRecipient(formatRecipient(id.publicKey));
    const key = newDataKey();
    const opened = openSealed(sealToRecipient(key, recipient.publicKey), again);
    expect(Buffer.from(opened!).equals(Buffer.from(key))).toBe(true);
    expect(openSealed(sealToRecipient(key, recipient.publicKey), newIdentity())).toBeUndefined();
  });

  it("refuses a recipient string with a typo", () => {
    const text = formatRecipient(newIdentity().publicKey);
    const typo = text.slice(0, 25) + (text[25] === "a" ? "b" : "a") + text.slice(26);
    expect(() => parseRecipient(typo)).toThrow(VaultError);
  });

  it("converts an ssh-ed25519 key pair made by ssh-keygen", () => {
    const file = path.join(dir, "id_ed25519");
    expect(spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", file]).status).toBe(0);
    const recipient = parseRecipient(readFileSync(`${file}.pub`, "utf8"));
    expect(recipient.kind).toBe("ssh-ed25519");
    const identity = identityFromOpenSsh(readFileSync(file, "utf8"), file);
    const key = newDataKey();
    expect(Buffer.from(openSealed(sealToRecipient(key, recipient.publicKey), identity)!).equals(Buffer.from(key))).toBe(true);
  });

  it("says a passphrase-protected ssh key cannot be used", () => {
    const file = path.join(dir, "id_locked");
    expect(spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "a passphrase here", "-f", file]).status).toBe(0);
    expect(() => identityFromOpenSsh(readFileSync(file, "utf8"), file)).toThrow(/protected by a passphrase/);
  });
});
