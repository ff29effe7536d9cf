import { beforeAll, describe, expect, it } from "vitest";
import { deriveKeys, formatKeyString, loadSodium, newDataKey, sealPassphraseSlot } from "../../src/crypto/index.js";
import type { Environment } from "../../src/format/index.js";
import { resolveKey, type KeyContext } from "../../src/keys/index.js";
import { keyedEnvironment } from "../support/environments.js";
import { rejectionOf } from "../support/errors.js";

const PASSPHRASE = "correct horse battery staple";

beforeAll(async () => {
  // These tests run without a keychain, as on a headless CI machine.
  delete process.env.DBUS_SESSION_BUS_ADDRESS;
  await loadSodium();
});

function environment(opts: { passphrase?: boolean } = {}) {
  const dataKey = newDataKey();
  const keys = deriveKeys(dataKey);
  const env = keyedEnvironment(keys, { vaultId: "vault", envName: "production", isDefault: true }, { slots: opts.passphrase ? [sealPassphraseSlot(dataKey, PASSPHRASE)] : [] });
  return { dataKey, keys, env };
}

function ctx(env: Environment, environ: NodeJS.ProcessEnv, ask?: KeyContext["askPassphrase"]): KeyContext {
  const c: KeyContext = { vaultId: "vault", envName: "production", env, environ };
  if (ask) c.askPassphrase = ask;
  return c;
}

describe("resolveKey", () => {
  it("takes VAULT_KEY_<ENV> first", async () => {
    const { dataKey, env, keys } = environment();
    const found = await resolveKey(ctx(env, { VAULT_KEY_PRODUCTION: formatKeyString("production", dataKey), VAULT_KEY: "junk" }));
    expect(found.source).toBe("VAULT_KEY_PRODUCTION");
    expect(found.keys.keyId).toBe(keys.keyId);
  });

  it("maps dashes in the environment name to underscores in the variable", async () => {
    const { dataKey, env } = environment();
    const c = ctx(env, {});
    c.envName = "eu-west";
    c.environ = { VAULT_KEY_EU_WEST: formatKeyString("eu-west", dataKey) };
    expect((await resolveKey(c)).source).toBe("VAULT_KEY_EU_WEST");
  });

  it("falls back to VAULT_KEY", async () => {
    const { dataKey, env } = environment();
    expect((await resolveKey(ctx(env, { VAULT_KEY: formatKeyString("production", dataKey) }))).source).toBe("VAULT_KEY");
  });

  it("refuses VAULT_KEY_<ENV> holding another environment's key", async () => {
    const { dataKey, env } = environment();
    const err = await rejectionOf(resolveKey(ctx(env, { VAULT_KEY_PRODUCTION: formatKeyString("staging", dataKey) })));
    expect(err.code).toBe("other_env_key");
  });

  it("reports a retired key as stale and an unknown one as wrong", async () => {
    const old = environment();
    const { env } = environment();
    env.retiredKeyIds = [old.keys.keyId];
    const stale = await rejectionOf(resolveKey(ctx(env, { VAULT_KEY: formatKeyString("production", old.dataKey) })));
    expect(stale.code).toBe("stale_key");
    const wrong = await rejectionOf(resolveKey(ctx(env, { VAULT_KEY: formatKeyString("production", newDataKey()) })));
    expect(wrong.code).toBe("wrong_key");
  });

  it("opens a passphrase slot with VAULT_PASSPHRASE", async () => {
    const { env, keys } = environment({ passphrase: true });
    const found = await resolveKey(ctx(env, { VAULT_PASSPHRASE: PASSPHRASE }));
    expect(found.source).toBe("VAULT_PASSPHRASE");
    expect(found.keys.keyId).toBe(keys.keyId);
  });

  it("asks for the passphrase when it may, and gives up after three wrong tries", async () => {
    const { env } = environment({ passphrase: true });
    const asked: string[] = [];
    const err = await rejectionOf(resolveKey(ctx(env, {}, async (q) => (asked.push(q), "wrong passphrase!!"))));
    expect(asked).toEqual(["Passphrase for production:", "Passphrase for production:", "Passphrase for production:"]);
    expect(err.code).toBe("wrong_key");
  });

  it("never asks when it may not, and lists what it tried", async () => {
    const { env } = environment({ passphrase: true });
    const err = await rejectionOf(resolveKey(ctx(env, {})));
    expect(err.code).toBe("no_key");
    expect(err.message).toContain("VAULT_KEY_PRODUCTION: not set");
    expect(err.message).toContain("VAULT_KEY: not set");
    expect(err.message).toContain("the OS keychain: no keychain on this machine");
    expect(err.message).toContain("no terminal to ask on");
    expect(err.hint).toContain("vault key export --env production");
  });

  it("says there is no keychain when the environment has nothing else", async () => {
    const { env } = environment();
    const err = await rejectionOf(resolveKey(ctx(env, {})));
    expect(err.code).toBe("keychain_unavailable");
  });
});
