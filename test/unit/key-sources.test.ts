import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { Encrypter, generateIdentity, identityToRecipient } from "age-encryption";
import { deriveKeys, formatIdentity, formatKeyString, loadSodium, newDataKey, newIdentity, parseRecipient, sealPassphraseSlot, sealToMember, sealToRecipient, toB64, type Identity } from "../../src/crypto/index.js";
import { VaultError, type ErrorCode } from "../../src/errors.js";
import type { KeySlot } from "../../src/format/index.js";
import { resolveKey, type Attempt, type FoundKey, type KeyContext, type KeySource } from "../../src/keys/index.js";
import { bech32Encode } from "../../src/crypto/bech32.js";
import { ageSource } from "../../src/keys/age-source.js";
import { envVarSource } from "../../src/keys/env-var.js";
import { identitySource } from "../../src/keys/identity-source.js";
import { keychainSource, keychainSourceFrom } from "../../src/keys/keychain-source.js";
import { passphraseSource } from "../../src/keys/passphrase-source.js";
import { keyedEnvironment } from "../support/environments.js";

/**
 * The key sources' shared contract (src/keys/types.ts): found (the current key), not here
 * (undefined with a reason, never a throw), or fails with a VaultError of a stated code
 * for what the user must fix. The keychain's own branches run over a store given here;
 * the real Secret Service is exercised by test/e2e/keychain.test.ts.
 */
const PASSPHRASE = "correct horse battery staple";

let home: string;
/** An age identity as `age-keygen` writes it (keys.txt text), and its public key; made once, in beforeAll. */
let ageMe: { keysTxt: string; publicKey: Uint8Array };
/** The same keys.txt protected with a passphrase, as `age -p` writes it (a low scrypt cost, to be quick). */
let agePassphraseFile: Uint8Array;

beforeAll(async () => {
  const secret = await generateIdentity();
  const recipient = await identityToRecipient(secret);
  ageMe = { keysTxt: `# created: 2026-01-01T00:00:00Z\n# public key: ${recipient}\n${secret}\n`, publicKey: parseRecipient(recipient).publicKey };
  const e = new Encrypter();
  e.setPassphrase(PASSPHRASE);
  e.setScryptWorkFactor(10);
  agePassphraseFile = await e.encrypt(ageMe.keysTxt);
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

interface Setting {
  dataKey: Uint8Array;
  ctx: KeyContext;
  keyId: string;
  /** A key the environment had before its last rotation. */
  retired: Uint8Array;
}

/** An environment with the given slots for its data key (and one retired key), on a machine with its own HOME. */
function setting(slots: (dataKey: Uint8Array) => KeySlot[] = () => [], environ: NodeJS.ProcessEnv = {}, extra: Partial<KeyContext> = {}): Setting {
  const dataKey = newDataKey();
  const retired = newDataKey();
  const keys = deriveKeys(dataKey);
  const env = keyedEnvironment(keys, { vaultId: "vault", envName: "production", isDefault: true }, { slots: slots(dataKey), retiredKeyIds: [deriveKeys(retired).keyId] });
  const ctx: KeyContext = { vaultId: "vault", envName: "production", env, environ: { HOME: home, ...environ }, ...extra };
  return { dataKey, ctx, keyId: keys.keyId, retired };
}

const memberSlot = (dataKey: Uint8Array, who: Identity, member = "me"): KeySlot => ({ type: "recipient", member, kind: "sealenv", pk: toB64(who.publicKey), box: sealToRecipient(dataKey, who.publicKey) });

/** An age member slot: `dataKey` as an age file to `publicKey` (made ahead: sealing age is asynchronous). */
async function ageSlot(dataKey: Uint8Array, publicKey: Uint8Array, member = "me"): Promise<KeySlot> {
  return { type: "recipient", member, kind: "age", pk: toB64(publicKey), box: await sealToMember({ kind: "age", publicKey }, dataKey) };
}

/** An environment whose age member slots are for `publicKey`: one with its key, or `planted` ones with other keys first. */
async function ageSetting(environ: NodeJS.ProcessEnv = {}, extra: Partial<KeyContext> = {}, options: { planted?: number; publicKey?: Uint8Array; own?: boolean } = {}): Promise<Setting> {
  const s = setting(() => [], environ, extra);
  const pk = options.publicKey ?? ageMe.publicKey;
  for (let i = 0; i < (options.planted ?? 0); i++) s.ctx.env.slots.push(await ageSlot(newDataKey(), pk));
  if (options.own !== false) s.ctx.env.slots.push(await ageSlot(s.dataKey, pk));
  return s;
}

/** SOPS's keys.txt where it lives on Linux, or a file elsewhere: returns its path. */
function writeAgeKeys(content: string | Uint8Array, mode = 0o600, file = path.join(home, ".config", "sops", "age", "keys.txt")): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, mode);
  return file;
}

function writeIdentityFile(text: string, mode: number): void {
  const dir = path.join(home, ".config", "sealenv");
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "identity"), text);
  chmodSync(path.join(dir, "identity"), mode);
}

/** A keychain holding what `entry` says for this environment (or failing as `entry` throws). */
const keychainHolding = (entry: () => string | undefined): KeySource => keychainSourceFrom(async () => entry());

type Answer = { found: FoundKey | undefined; attempts: Attempt[] } | { failed: unknown };

async function answer(source: KeySource, ctx: KeyContext): Promise<Answer> {
  const attempts: Attempt[] = [];
  try {
    return { found: await source.find(ctx, attempts), attempts };
  } catch (err) {
    return { failed: err };
  }
}

describe("found: each source hands over the environment's current key", () => {
  const cases: [string, () => { source: KeySource; s: Setting }][] = [
    ["env var", () => {
      const s = setting();
      s.ctx.environ.VAULT_KEY_PRODUCTION = formatKeyString("production", s.dataKey);
      return { source: envVarSource, s };
    }],
    ["keychain", () => {
      const s = setting();
      return { source: keychainHolding(() => formatKeyString("production", s.dataKey)), s };
    }],
    ["identity", () => {
      const me = newIdentity();
      writeIdentityFile(`${formatIdentity(me)}\n`, 0o600);
      return { source: identitySource, s: setting((dataKey) => [memberSlot(dataKey, me)]) };
    }],
    ["passphrase", () => ({ source: passphraseSource, s: setting((dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE)], { VAULT_PASSPHRASE: PASSPHRASE }) })],
  ];
  const ageCases: [string, () => Promise<{ source: KeySource; s: Setting }>][] = [
    ["age: SOPS's keys.txt", async () => {
      writeAgeKeys(ageMe.keysTxt);
      return { source: ageSource, s: await ageSetting() };
    }],
    ["age: VAULT_AGE_KEY_FILE", async () => ({ source: ageSource, s: await ageSetting({ VAULT_AGE_KEY_FILE: writeAgeKeys(ageMe.keysTxt, 0o600, path.join(home, "mine.txt")) }) })],
    ["age: SOPS_AGE_KEY_FILE", async () => ({ source: ageSource, s: await ageSetting({ SOPS_AGE_KEY_FILE: writeAgeKeys(ageMe.keysTxt, 0o600, path.join(home, "sops.txt")) }) })],
    ["age: SOPS_AGE_KEY, the key text itself", async () => ({ source: ageSource, s: await ageSetting({ SOPS_AGE_KEY: ageMe.keysTxt }) })],
    ["age: the second identity of a keys.txt", async () => {
      writeAgeKeys(`${await generateIdentity()}\n${ageMe.keysTxt}`);
      return { source: ageSource, s: await ageSetting() };
    }],
    ["age: past slots planted with other keys for me", async () => {
      writeAgeKeys(ageMe.keysTxt);
      return { source: ageSource, s: await ageSetting({}, {}, { planted: 3 }) };
    }],
    ["age: a passphrase-protected keys.txt, asked for on a terminal", async () => {
      writeAgeKeys(agePassphraseFile, 0o644);
      return { source: ageSource, s: await ageSetting({}, { askPassphrase: async () => PASSPHRASE }) };
    }],
  ];
  it.each(ageCases)("%s", async (_name, make) => {
    const { source, s } = await make();
    const got = await answer(source, s.ctx);
    expect(got).not.toHaveProperty("failed");
    if ("found" in got) expect(got.found?.keys.keyId).toBe(s.keyId);
  });
  it.each(cases)("%s", async (_name, make) => {
    const { source, s } = make();
    const got = await answer(source, s.ctx);
    expect(got).not.toHaveProperty("failed");
    if ("found" in got) expect(got.found?.keys.keyId).toBe(s.keyId);
  });
});

describe("not here: undefined and a reason, never a throw", () => {
  const other = newDataKey;
  const cases: [string, () => { source: KeySource; ctx: KeyContext }][] = [
    ["env var: nothing set", () => ({ source: envVarSource, ctx: setting().ctx })],
    ["env var: VAULT_KEY holds another environment's key", () => ({ source: envVarSource, ctx: setting(() => [], { VAULT_KEY: formatKeyString("staging", other()) }).ctx })],
    ["keychain: unreachable", () => ({ source: keychainSource, ctx: setting().ctx })],
    ["keychain: no entry", () => ({ source: keychainHolding(() => undefined), ctx: setting().ctx })],
    ["keychain: the store fails", () => ({ source: keychainHolding(() => { throw new VaultError("keychain_unavailable", "no keychain on this machine (locked)"); }), ctx: setting().ctx })],
    ["keychain: an entry that is not a key string", () => ({ source: keychainHolding(() => "junk"), ctx: setting().ctx })],
    ["keychain: a key from before the last rotation", () => {
      const s = setting();
      return { source: keychainHolding(() => formatKeyString("production", s.retired)), ctx: s.ctx };
    }],
    ["keychain: a key of something else", () => ({ source: keychainHolding(() => formatKeyString("production", other())), ctx: setting().ctx })],
    ["identity: no members", () => ({ source: identitySource, ctx: setting().ctx })],
    ["identity: no identity here", () => ({ source: identitySource, ctx: setting((dataKey) => [memberSlot(dataKey, newIdentity(), "bob")]).ctx })],
    ["identity: a damaged stored identity", () => {
      writeIdentityFile("not an identity\n", 0o600);
      return { source: identitySource, ctx: setting((dataKey) => [memberSlot(dataKey, newIdentity(), "bob")]).ctx };
    }],
    ["identity: my slot opens to another key", () => {
      const me = newIdentity();
      writeIdentityFile(`${formatIdentity(me)}\n`, 0o600);
      return { source: identitySource, ctx: setting(() => [memberSlot(other(), me)]).ctx };
    }],
    ["passphrase: no passphrase slot", () => ({ source: passphraseSource, ctx: setting(() => [], { VAULT_PASSPHRASE: PASSPHRASE }).ctx })],
    ["passphrase: none given and no terminal", () => ({ source: passphraseSource, ctx: setting((dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE)]).ctx })],
    // A wrong passphrase would fail if it were tried: where no Argon2id may run, it is not.
    ["passphrase: no KDF allowed here", () => ({ source: passphraseSource, ctx: setting((dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE)], { VAULT_PASSPHRASE: "a wrong passphrase here" }, { kdf: false }).ctx })],
  ];
  const ageCases: [string, () => Promise<KeyContext>][] = [
    ["age: no age members", async () => setting((dataKey) => [memberSlot(dataKey, newIdentity())]).ctx],
    ["age: no keys.txt", async () => (await ageSetting()).ctx],
    ["age: SOPS_AGE_KEY_FILE that does not exist (set for SOPS)", async () => (await ageSetting({ SOPS_AGE_KEY_FILE: path.join(home, "missing.txt") })).ctx],
    ["age: SOPS_AGE_KEY that is not an identity (set for SOPS)", async () => (await ageSetting({ SOPS_AGE_KEY: "junk" })).ctx],
    ["age: a keys.txt of someone else", async () => {
      writeAgeKeys(`${await generateIdentity()}\n`);
      return (await ageSetting()).ctx;
    }],
    ["age: my slot opens to another key", async () => {
      writeAgeKeys(ageMe.keysTxt);
      return (await ageSetting({}, {}, { planted: 1, own: false })).ctx;
    }],
    ["age: a passphrase-protected keys.txt and no terminal", async () => {
      writeAgeKeys(agePassphraseFile, 0o644);
      return (await ageSetting()).ctx;
    }],
    ["age: a plugin identity, and no age plugin installed", async () => {
      const bytes = new Uint8Array(32).fill(9);
      writeAgeKeys(`${bech32Encode("age-plugin-sealtest-", bytes).toUpperCase()}\n`);
      const s = await ageSetting({ PATH: home }, {}, { own: false });
      const box = Buffer.concat([Buffer.from("age-encryption.org/v1\n"), Buffer.alloc(100, 1)]).toString("base64url");
      s.ctx.env.slots.push({ type: "recipient", member: "me", kind: "age-plugin", pk: Buffer.from(bech32Encode("age1sealtest", bytes)).toString("base64url"), box });
      return s.ctx;
    }],
    ["age: a passphrase-protected keys.txt where no KDF may run", async () => {
      writeAgeKeys(agePassphraseFile, 0o644);
      return (await ageSetting({}, { kdf: false, askPassphrase: async () => PASSPHRASE })).ctx;
    }],
  ];
  it.each(ageCases)("%s", async (_name, make) => {
    const got = await answer(ageSource, await make());
    expect(got).not.toHaveProperty("failed");
    if (!("found" in got)) return;
    expect(got.found).toBeUndefined();
    expect(got.attempts.length).toBeGreaterThan(0);
  });

  it.each(cases)("%s", async (_name, make) => {
    const { source, ctx } = make();
    const got = await answer(source, ctx);
    expect(got).not.toHaveProperty("failed");
    if (!("found" in got)) return;
    expect(got.found).toBeUndefined();
    expect(got.attempts.length).toBeGreaterThan(0);
    for (const a of got.attempts) expect(a.outcome).not.toBe("");
  });

  it("age: slots for me that do not open are called damaged or planted, not \"not a member\"", async () => {
    writeAgeKeys(ageMe.keysTxt);
    const s = await ageSetting({}, {}, { own: false });
    const junk = Buffer.concat([Buffer.from("age-encryption.org/v1\n"), Buffer.alloc(100, 1)]).toString("base64url");
    s.ctx.env.slots.push({ type: "recipient", member: "me", kind: "age", pk: toB64(ageMe.publicKey), box: junk });
    const attempts: Attempt[] = [];
    await expect(ageSource.find(s.ctx, attempts)).resolves.toBeUndefined();
    expect(attempts.map((a) => a.outcome).join("\n")).toMatch(/1 age member slot\(s\) for you do not open: damaged, or planted/);
    expect(attempts.some((a) => a.notMember)).toBe(false);
  });

  it("a damaged stored identity does not stop a later source from opening the environment", async () => {
    writeIdentityFile("not an identity\n", 0o600);
    const s = setting((dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE), memberSlot(dataKey, newIdentity(), "bob")], { VAULT_PASSPHRASE: PASSPHRASE });
    const found = await resolveKey(s.ctx);
    expect(found.source).toBe("VAULT_PASSPHRASE");
    expect(found.keys.keyId).toBe(s.keyId);
  });
});

describe("fails: what the user must fix, as a VaultError with its code", () => {
  const cases: [string, ErrorCode, () => { source: KeySource; ctx: KeyContext }][] = [
    ["VAULT_KEY_<ENV> that is not a key string", "bad_key_string", () => ({ source: envVarSource, ctx: setting(() => [], { VAULT_KEY_PRODUCTION: "junk" }).ctx })],
    ["VAULT_KEY_<ENV> holding another environment's key", "other_env_key", () => ({ source: envVarSource, ctx: setting(() => [], { VAULT_KEY_PRODUCTION: formatKeyString("staging", newDataKey()) }).ctx })],
    ["VAULT_KEY_<ENV> holding a key from before the last rotation", "stale_key", () => {
      const s = setting();
      s.ctx.environ.VAULT_KEY_PRODUCTION = formatKeyString("production", s.retired);
      return { source: envVarSource, ctx: s.ctx };
    }],
    ["VAULT_KEY holding a key of something else", "wrong_key", () => ({ source: envVarSource, ctx: setting(() => [], { VAULT_KEY: formatKeyString("production", newDataKey()) }).ctx })],
    ["VAULT_IDENTITY that is not an identity", "bad_key_string", () => ({ source: identitySource, ctx: setting((dataKey) => [memberSlot(dataKey, newIdentity())], { VAULT_IDENTITY: "junk" }).ctx })],
    ["an identity file others may read", "io", () => {
      const me = newIdentity();
      writeIdentityFile(`${formatIdentity(me)}\n`, 0o644);
      return { source: identitySource, ctx: setting((dataKey) => [memberSlot(dataKey, me)]).ctx };
    }],
    ["VAULT_PASSPHRASE that opens no slot", "wrong_key", () => ({ source: passphraseSource, ctx: setting((dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE)], { VAULT_PASSPHRASE: "a wrong passphrase here" }).ctx })],
    ["VAULT_PASSPHRASE_FILE that cannot be read", "io", () => ({ source: passphraseSource, ctx: setting((dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE)], { VAULT_PASSPHRASE_FILE: path.join(home, "missing") }).ctx })],
    ["three wrong typed passphrases", "wrong_key", () => ({ source: passphraseSource, ctx: setting((dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE)], {}, { askPassphrase: async () => "a wrong passphrase here" }).ctx })],
    ["a prompt cancelled", "cancelled", () => ({ source: passphraseSource, ctx: setting((dataKey) => [sealPassphraseSlot(dataKey, PASSPHRASE)], {}, { askPassphrase: () => Promise.reject(new VaultError("cancelled", "cancelled")) }).ctx })],
  ];
  const ageCases: [string, ErrorCode, () => Promise<KeyContext>][] = [
    ["VAULT_AGE_KEY_FILE that does not exist", "io", async () => (await ageSetting({ VAULT_AGE_KEY_FILE: path.join(home, "missing.txt") })).ctx],
    ["VAULT_AGE_KEY_FILE that cannot be read", "io", async () => (await ageSetting({ VAULT_AGE_KEY_FILE: home })).ctx],
    ["VAULT_AGE_KEY_FILE that is not age identities", "bad_key_string", async () => (await ageSetting({ VAULT_AGE_KEY_FILE: writeAgeKeys("junk\n", 0o600, path.join(home, "mine.txt")) })).ctx],
    ["VAULT_AGE_KEY_FILE passphrase-protected and no terminal", "no_key", async () => (await ageSetting({ VAULT_AGE_KEY_FILE: writeAgeKeys(agePassphraseFile, 0o644, path.join(home, "mine.age")) })).ctx],
    ["an age keys.txt others may read", "io", async () => {
      writeAgeKeys(ageMe.keysTxt, 0o644);
      return (await ageSetting()).ctx;
    }],
    ["three wrong typed passphrases for an age identity file", "wrong_key", async () => {
      writeAgeKeys(agePassphraseFile, 0o644);
      return (await ageSetting({}, { askPassphrase: async () => "a wrong passphrase here" })).ctx;
    }],
    ["an age identity file's prompt cancelled", "cancelled", async () => {
      writeAgeKeys(agePassphraseFile, 0o644);
      return (await ageSetting({}, { askPassphrase: () => Promise.reject(new VaultError("cancelled", "cancelled")) })).ctx;
    }],
  ];
  it.each(ageCases)("%s: %s", async (_name, code, make) => {
    const got = await answer(ageSource, await make());
    expect(got).toHaveProperty("failed");
    if (!("failed" in got)) return;
    expect(got.failed).toBeInstanceOf(VaultError);
    expect((got.failed as VaultError).code).toBe(code);
  });

  it.each(cases)("%s: %s", async (_name, code, make) => {
    const { source, ctx } = make();
    const got = await answer(source, ctx);
    expect(got).toHaveProperty("failed");
    if (!("failed" in got)) return;
    expect(got.failed).toBeInstanceOf(VaultError);
    expect((got.failed as VaultError).code).toBe(code);
  });
});
