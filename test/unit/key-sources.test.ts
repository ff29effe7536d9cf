import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deriveKeys, formatIdentity, formatKeyString, loadSodium, newDataKey, newIdentity, sealPassphraseSlot, sealToRecipient, toB64 } from "../../src/crypto/index.js";
import { VaultError } from "../../src/errors.js";
import type { KeySlot } from "../../src/format/index.js";
import { resolveKey, type Attempt, type KeyContext, type KeySource } from "../../src/keys/index.js";
import { envVarSource } from "../../src/keys/env-var.js";
import { identitySource } from "../../src/keys/identity-source.js";
import { keychainSource } from "../../src/keys/keychain-source.js";
import { passphraseSource } from "../../src/keys/passphrase-source.js";
import { keyedEnvironment } from "../support/environments.js";

/**
 * The key sources' shared contract (src/keys/types.ts): found, not here (undefined with a
 * reason, never a throw), or fails with a VaultError for what the user must fix.
 */
const PASSPHRASE = "correct horse battery staple";
const SOURCES: [string, KeySource][] = [
  ["env var", envVarSource],
  ["keychain", keychainSource],
  ["identity", identitySource],
  ["passphrase", passphraseSource],
];

let home: string;

beforeAll(async () => {
  // No keychain: these run as on a headless CI machine.
  delete process.env.DBUS_SESSION_BUS_ADDRESS;
  delete process.env.XDG_RUNTIME_DIR;
  await loadSodium();
});

beforeEach(() => {
  home = mkdtempSync(path.join(tmpdir(), "sealenv-sources-"));
});

afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

/** An environment with the given slots for its data key, and a context on a machine with its own HOME. */
function setting(slots: (dataKey: Uint8Array) => KeySlot[], environ: NodeJS.ProcessEnv = {}) {
  const dataKey = newDataKey();
  const keys = deriveKeys(dataKey);
  const env = keyedEnvironment(keys, { vaultId: "vault", envName: "production", isDefault: true }, { slots: slots(dataKey) });
  const ctx: KeyContext = { vaultId: "vault", envName: "production", env, environ: { HOME: home, ...environ } };
  return { dataKey, keys, ctx };
}

function writeIdentityFile(text: string, mode: number): void {
  const dir = path.join(home, ".config", "sealenv");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "identity"), text);
  chmodSync(path.join(dir, "identity"), mode);
}

async function answer(source: KeySource, ctx: KeyContext): Promise<{ found: unknown; attempts: Attempt[] } | { failed: unknown }> {
  const attempts: Attempt[] = [];
  try {
    return { found: await source.find(ctx, attempts), attempts };
  } catch (err) {
    return { failed: err };
  }
}

describe("every key source, with nothing for it here", () => {
  it.each(SOURCES)("%s answers not here: undefined and a reason, no throw", async (_name, source) => {
    // A passphrase slot (no passphrase, no terminal) and a member slot for someone else.
    const member = newIdentity();
    const { ctx } = setting((dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE), { type: "recipient", member: "bob", kind: "sealenv", pk: toB64(member.publicKey), box: sealToRecipient(dataKey, member.publicKey) }]);
    const got = await answer(source, ctx);
    expect(got).not.toHaveProperty("failed");
    if ("failed" in got) return;
    expect(got.found).toBeUndefined();
    expect(got.attempts.length).toBeGreaterThan(0);
    for (const a of got.attempts) expect(a.outcome).not.toBe("");
  });
});

describe("what a machine merely holds is never a failure", () => {
  it("a damaged stored identity is passed over, and a later source opens the environment", async () => {
    writeIdentityFile("not an identity\n", 0o600);
    const bob = newIdentity();
    const { ctx, keys } = setting(
      (dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE), { type: "recipient", member: "bob", kind: "sealenv", pk: toB64(bob.publicKey), box: sealToRecipient(dataKey, bob.publicKey) }],
      { VAULT_PASSPHRASE: PASSPHRASE },
    );
    const attempts: Attempt[] = [];
    await expect(identitySource.find(ctx, attempts)).resolves.toBeUndefined();
    expect(attempts.map((a) => a.outcome).join("\n")).toMatch(/not usable/);
    const found = await resolveKey(ctx);
    expect(found.source).toBe("VAULT_PASSPHRASE");
    expect(found.keys.keyId).toBe(keys.keyId);
  });

  it("a member slot that opens to another key is passed over, not a failure", async () => {
    const me = newIdentity();
    const other = newDataKey();
    writeIdentityFile(`${formatIdentity(me)}\n`, 0o600);
    const { ctx } = setting(() => [{ type: "recipient", member: "me", kind: "sealenv", pk: toB64(me.publicKey), box: sealToRecipient(other, me.publicKey) }]);
    const got = await answer(identitySource, ctx);
    expect(got).toMatchObject({ found: undefined });
  });
});

describe("what the user must fix fails, as a VaultError", () => {
  const cases: [string, KeySource, () => KeyContext][] = [
    ["VAULT_KEY_<ENV> that is not a key string", envVarSource, () => setting(() => [], { VAULT_KEY_PRODUCTION: "junk" }).ctx],
    ["VAULT_KEY_<ENV> holding another environment's key", envVarSource, () => setting(() => [], { VAULT_KEY_PRODUCTION: formatKeyString("staging", newDataKey()) }).ctx],
    ["VAULT_IDENTITY that is not an identity", identitySource, () => {
      const me = newIdentity();
      return setting((dataKey) => [{ type: "recipient", member: "me", kind: "sealenv", pk: toB64(me.publicKey), box: sealToRecipient(dataKey, me.publicKey) }], { VAULT_IDENTITY: "junk" }).ctx;
    }],
    ["an identity file others may read", identitySource, () => {
      const me = newIdentity();
      writeIdentityFile(`${formatIdentity(me)}\n`, 0o644);
      return setting((dataKey) => [{ type: "recipient", member: "me", kind: "sealenv", pk: toB64(me.publicKey), box: sealToRecipient(dataKey, me.publicKey) }]).ctx;
    }],
    ["VAULT_PASSPHRASE that opens no slot", passphraseSource, () => setting((dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE)], { VAULT_PASSPHRASE: "a wrong passphrase here" }).ctx],
    ["VAULT_PASSPHRASE_FILE that cannot be read", passphraseSource, () => setting((dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE)], { VAULT_PASSPHRASE_FILE: path.join(home, "missing") }).ctx],
  ];
  it.each(cases)("%s", async (_name, source, make) => {
    const got = await answer(source, make());
    expect(got).toHaveProperty("failed");
    if ("failed" in got) expect(got.failed).toBeInstanceOf(VaultError);
  });
});
