#!/usr/bin/env node
// Writes test/vectors/: vault files each headed by the one outcome a correct reader must
// reach (success with the hash of the plaintext, or one failure class). They document the
// format by example and are checked by test/vectors.test.ts. Usage: node scripts/gen-vectors.mjs [DIR]
// (run `npm run build` first: it uses the built library).
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as c from "../dist/crypto/index.js";
import { serializeVault } from "../dist/format/index.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.resolve(process.argv[2] ?? path.join(root, "test/vectors"));
await c.loadSodium();

const PASSPHRASE = "correct horse battery staple";
let count = 0;

/** The hash a reader must reach: SHA-256 of [[name, value], ...] in name order, as JSON. */
export function plaintextHash(values) {
  const pairs = Object.keys(values).sort().map((k) => [k, values[k]]);
  return createHash("sha256").update(JSON.stringify(pairs)).digest("hex");
}

function environment(vaultId, envName, values) {
  const keys = c.deriveKeys(c.newDataKey());
  const secrets = {};
  for (const [name, value] of Object.entries(values)) secrets[name] = c.sealValue(keys, { vaultId, env: envName, name }, value, { updated: "2026-01-01T00:00:00.000Z" });
  return { env: { generation: 0, keyId: keys.keyId, signer: c.signerOf(keys), retiredKeyIds: [], keyLinks: [], slots: [], secrets, mac: "" }, keys };
}

/** Recomputes an environment's MAC, as a key holder would after a change. */
function reseal(doc, keys, envName) {
  const env = doc.environments[envName];
  env.mac = c.environmentMac(keys[envName], { vaultId: doc.id, envName, isDefault: doc.defaultEnv === envName }, env);
}

function vault(envs, defaultEnv = Object.keys(envs)[0]) {
  const id = c.newVaultId();
  const environments = {};
  const keys = {};
  for (const [name, values] of Object.entries(envs)) {
    const built = environment(id, name, values);
    environments[name] = built.env;
    keys[name] = built.keys;
  }
  const doc = { version: 1, id, defaultEnv, environments };
  for (const name of Object.keys(envs)) reseal(doc, keys, name);
  return { doc, keys };
}

function write(name, header, body) {
  count++;
  const lines = Object.entries(header).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${v}`);
  writeFileSync(path.join(out, `${String(count).padStart(3, "0")}-${name}.vector`), `${lines.join("\n")}\n\n${body}`);
}

const keyString = (env, keys) => c.formatKeyString(env, keys.dataKey);
const basic = { API_KEY: "sk_live_0123456789", DATABASE_URL: "postgres://app:pw@db/app" };

function success(name, comment, envs, options = {}) {
  const { doc, keys } = vault(envs);
  const env = options.env ?? doc.defaultEnv;
  if (options.mutate) options.mutate(doc, keys);
  write(name, { expect: "success", sha256: plaintextHash(envs[env]), env, key: options.noKey ? undefined : keyString(env, keys[env]), ...(options.header?.(doc, keys) ?? {}), comment }, serializeVault(doc));
}

function failure(name, expect, comment, envs, mutate, options = {}) {
  const { doc, keys } = vault(envs);
  const env = options.env ?? doc.defaultEnv;
  const header = { expect, env, key: keyString(env, keys[env]), comment };
  const text = mutate(doc, keys, header);
  write(name, header, typeof text === "string" ? text : serializeVault(doc));
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// --- success ---
success("empty-environment", "an environment with no secrets", { development: {} });
success("one-secret", "one secret", { development: { TOKEN: "abc123def456" } });
success("two-secrets", "two secrets", { development: basic });
success("multiline", "a value with newlines", { development: { CERT: "-----BEGIN-----\nAAAA\nBBBB\n-----END-----\n" } });
success("unicode", "unicode in a value", { development: { GREETING: "grüße 🔑 日本語" } });
success("quotes-and-dollars", "quotes, $, backticks and = survive", { development: { TRICKY: `it's "x" \`y\` $HOME \${REF} a=b` } });
success("empty-value", "an empty value", { development: { EMPTY: "" } });
success("large-value", "a 64 KiB value", { development: { BIG: "x".repeat(65536) } });
success("many-secrets", "100 secrets", { development: Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`S_${i}`, `value-${i}`])) });
success("underscore-names", "names with underscores and digits", { development: { _PRIVATE: "a", A1_B2: "b", lower_case: "c" } });
success("second-environment", "the key of a non-default environment opens it", { development: basic, production: { API_KEY: "prod-key" } }, { env: "production" });
success("env-with-dash", "an environment name with - and _", { "eu-west_1": basic });
success("key-with-whitespace", "a key string surrounded by whitespace is accepted", { development: basic }, { header: (doc, keys) => ({ key: `  ${keyString(doc.defaultEnv, keys[doc.defaultEnv])}  ` }) });
success("retired-keys-listed", "retired key ids do not affect the current key", { development: basic }, {
  mutate: (doc, keys) => {
    doc.environments.development.retiredKeyIds = ["AAAAAAAAAAAAAAAAAAAAAA"];
    reseal(doc, keys, "development");
  },
});
success("metadata-fields", "values carry created and policy metadata", { development: basic }, {
  mutate: (doc, keys) => {
    const env = doc.environments.development;
    env.secrets.API_KEY = c.sealValue(keys.development, { vaultId: doc.id, env: "development", name: "API_KEY" }, basic.API_KEY, { updated: "2026-02-01T00:00:00.000Z", created: "2025-01-01T00:00:00.000Z", rotateEvery: "90d" });
    reseal(doc, keys, "development");
  },
});
{
  const identity = c.newIdentity();
  success("member-slot", "an identity opens its member slot", { development: basic }, {
    noKey: true,
    mutate: (doc, keys) => {
      doc.environments.development.slots = [{ type: "recipient", member: "alice@example.com", kind: "sealenv", pk: c.toB64(identity.publicKey), box: c.sealToRecipient(keys.development.dataKey, identity.publicKey) }];
      reseal(doc, keys, "development");
    },
    header: () => ({ identity: c.formatIdentity(identity) }),
  });
  const decoyed = c.newIdentity();
  success("decoy-slot-first", "a slot sealed to the member holding a random key comes first: skipped, the real slot opens", { development: basic }, {
    noKey: true,
    mutate: (doc, keys) => {
      const pk = c.toB64(decoyed.publicKey);
      doc.environments.development.slots = [
        { type: "recipient", member: "alice", kind: "sealenv", pk, box: c.sealToRecipient(c.newDataKey(), decoyed.publicKey) },
        { type: "recipient", member: "alice", kind: "sealenv", pk, box: c.sealToRecipient(keys.development.dataKey, decoyed.publicKey) },
      ];
      reseal(doc, keys, "development");
    },
    header: () => ({ identity: c.formatIdentity(decoyed) }),
  });
}
success("passphrase-slot", "a passphrase opens its slot (Argon2id MODERATE)", { development: basic }, {
  noKey: true,
  mutate: (doc, keys) => {
    doc.environments.development.slots = [c.sealPassphraseSlot(keys.development.dataKey, PASSPHRASE)];
    reseal(doc, keys, "development");
  },
  header: () => ({ passphrase: PASSPHRASE }),
});
{
  const old = c.deriveKeys(c.newDataKey());
  success("after-rotation", "a rotated environment (generation 1) with the link its old key signed", { development: basic }, {
    mutate: (doc, keys) => {
      const env = doc.environments.development;
      env.generation = 1;
      env.retiredKeyIds = [old.keyId];
      env.keyLinks = [c.signKeyLink(doc.id, "development", old, { generation: 1, keyId: env.keyId, signer: env.signer })];
      reseal(doc, keys, "development");
    },
  });
}

// --- format ---
const fmt = (name, comment, mutateText) => failure(name, "format", comment, { development: basic }, (doc) => mutateText(serializeVault(doc), doc));
fmt("not-json", "not JSON at all", () => "this is not a vault\n");
fmt("truncated-json", "the file cut in half", (t) => t.slice(0, t.length / 2));
fmt("trailing-comma", "a trailing comma", (t) => t.replace(/"\n {4}\}\n {2}\}/, '",\n    }\n  }'));
fmt("conflict-markers", "git merge-conflict markers", (t) => t.replace('      "secrets": {', '<<<<<<< HEAD\n      "secrets": {\n=======\n>>>>>>> branch'));
fmt("json-array", "a JSON array instead of an object", () => "[]\n");
fmt("empty-file", "an empty file", () => "");
fmt("missing-id", "no vault id", (_t, doc) => JSON.stringify({ ...doc, id: undefined, sealenv: 1 }));
fmt("short-id", "a vault id that is too short", (t) => t.replace(/"id": "[^"]+"/, '"id": "abc"'));
fmt("missing-environments", "no environments", () => JSON.stringify({ sealenv: 1, id: "AAAAAAAAAAAAAAAAAAAAAA", default: "development" }));
fmt("default-missing", "the default environment does not exist", (t) => t.replace('"default": "development"', '"default": "staging"'));
fmt("bad-env-name", "an environment name with capitals", (t) => t.replace('"development": {', '"Development": {').replace('"default": "development"', '"default": "Development"'));
fmt("traversal-env-name", "an environment name that is a path", (t) => t.replace('"development": {', '"../x": {'));
fmt("bad-secret-name", "a secret name starting with a digit", (t) => t.replace('"API_KEY":', '"1API_KEY":'));
fmt("secret-name-with-dash", "a secret name with a dash", (t) => t.replace('"API_KEY":', '"API-KEY":'));
fmt("sealed-not-string", "a sealed value that is a number", (t) => t.replace(/"API_KEY": "[^"]+"/, '"API_KEY": 42'));
fmt("sealed-no-dot", "a sealed value without its nonce separator", (t) => t.replace(/"API_KEY": "([^".]+)\.([^"]+)"/, '"API_KEY": "$1$2"'));
fmt("sealed-bad-alphabet", "a sealed value with characters outside base64url", (t) => t.replace(/"API_KEY": "([^"]{10})/, '"API_KEY": "$1+/+/'));
fmt("slots-not-array", "slots is not a list", (t) => t.replace('"slots": []', '"slots": {}'));
fmt("unknown-slot-type", "a slot of an unknown type", (t) => t.replace('"slots": []', '"slots": [{ "type": "magic" }]'));
fmt("mac-missing", "an environment without its MAC", (t) => t.replace(/,\n\s+"mac": "[^"]+"/, ""));
fmt("bad-member-name", "a member slot with an invalid name", (t) => t.replace('"slots": []', '"slots": [{ "type": "recipient", "member": "../bob", "kind": "sealenv", "pk": "AAAA", "box": "AAAA" }]'));
{
  const box = c.toB64(new Uint8Array(80));
  const zero = c.toB64(new Uint8Array(32));
  const lowOrder = c.toB64(Uint8Array.from([0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a, 0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00]));
  const slot = (pk) => `"slots": [{ "type": "recipient", "member": "mallory", "kind": "sealenv", "pk": "${pk}", "box": "${box}" }]`;
  fmt("member-key-all-zero", "a member slot whose public key is all zeros (would crash sealing)", (t) => t.replace('"slots": []', slot(zero)));
  fmt("member-key-low-order", "a member slot whose public key is a point of small order", (t) => t.replace('"slots": []', slot(lowOrder)));
  fmt("member-key-short", "a member slot whose public key is 31 bytes", (t) => t.replace('"slots": []', slot(c.toB64(new Uint8Array(31).fill(9)))));
  fmt("member-box-short", "a member slot whose box is too short to hold a key", (t) => t.replace('"slots": []', slot(c.toB64(c.newIdentity().publicKey)).replace(box, "AAAA")));
}
fmt("generation-negative", "a negative generation", (t) => t.replace('"generation": 0', '"generation": -1'));
fmt("signer-missing", "an environment without its signer", (t) => t.replace(/\n\s+"signer": "[^"]+",/, ""));

// --- version ---
const ver = (name, comment, value, expect = "version") => failure(name, expect, comment, { development: basic }, (doc) => serializeVault(doc).replace('"sealenv": 1', `"sealenv": ${value}`));
ver("version-2", "a newer format version", "2");
ver("version-99", "a far newer format version", "99");
ver("version-0", "version 0 does not exist", "0", "format");
ver("version-string", "the version as a string", '"1"', "format");
ver("version-missing", "no version field", "1", "format");
{
  // The last one must really lack the field.
  const last = path.join(out, `${String(count).padStart(3, "0")}-version-missing.vector`);
  const { doc } = vault({ development: basic });
  const text = serializeVault(doc).replace('  "sealenv": 1,\n', "");
  writeFileSync(last, `expect: format\nenv: development\ncomment: no version field\n\n${text}`);
}

// --- kdf ---
const kdf = (name, comment, slotFields) =>
  failure(name, "kdf", comment, { development: basic }, (doc, keys, header) => {
    delete header.key;
    header.passphrase = PASSPHRASE;
    doc.environments.development.slots = [{ type: "passphrase", kdf: "argon2id13", ops: 3, mem: 268435456, salt: "AAAAAAAAAAAAAAAAAAAAAA", nonce: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", box: "AAAA", ...slotFields }];
  });
kdf("kdf-ops-too-low", "Argon2id with 1 pass: a downgrade", { ops: 1 });
kdf("kdf-ops-2", "Argon2id with 2 passes: below MODERATE", { ops: 2 });
kdf("kdf-ops-huge", "Argon2id with 1,000,000 passes: a denial of service", { ops: 1000000 });
kdf("kdf-mem-tiny", "Argon2id with 8 KiB: a downgrade", { mem: 8192 });
kdf("kdf-mem-64mib", "Argon2id with 64 MiB (INTERACTIVE): below the floor", { mem: 67108864 });
kdf("kdf-mem-huge", "Argon2id asking for 64 GiB", { mem: 68719476736 });
kdf("kdf-mem-2gib", "Argon2id asking for 2 GiB, above the ceiling", { mem: 2147483648 });
kdf("kdf-mem-1gib", "Argon2id asking for 1 GiB, above the 512 MiB ceiling", { mem: 1073741824 });
kdf("kdf-ops-5", "Argon2id with 5 passes, above the ceiling of 4", { ops: 5 });
failure("three-passphrase-slots", "kdf", "three passphrase slots: refused before any hashing (at most two)", { development: basic }, (doc, keys, header) => {
  delete header.key;
  header.passphrase = PASSPHRASE;
  const slot = { type: "passphrase", kdf: "argon2id13", ops: 4, mem: 536870912, salt: "AAAAAAAAAAAAAAAAAAAAAA", nonce: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", box: "AAAA" };
  doc.environments.development.slots = [slot, slot, slot];
});
kdf("kdf-unknown-algorithm", "an unknown key derivation", { kdf: "argon2i13" });
kdf("kdf-scrypt", "scrypt is not accepted", { kdf: "scrypt" });

// --- integrity ---
const integ = (name, comment, mutate, envs = { development: basic }) => failure(name, "integrity", comment, envs, mutate);
const flip = (s, at) => s.slice(0, at) + (s[at] === "A" ? "B" : "A") + s.slice(at + 1);
integ("flipped-ciphertext", "one character of a ciphertext changed", (doc) => {
  const e = doc.environments.development;
  e.secrets.API_KEY = flip(e.secrets.API_KEY, e.secrets.API_KEY.length - 4);
});
integ("flipped-nonce", "one character of a nonce changed", (doc) => {
  const e = doc.environments.development;
  e.secrets.API_KEY = flip(e.secrets.API_KEY, 3);
});
integ("swapped-values", "two values swapped between names", (doc) => {
  const e = doc.environments.development;
  [e.secrets.API_KEY, e.secrets.DATABASE_URL] = [e.secrets.DATABASE_URL, e.secrets.API_KEY];
});
integ("removed-entry", "a secret removed", (doc) => delete doc.environments.development.secrets.DATABASE_URL);
integ("added-entry", "a secret added by copying another's ciphertext", (doc) => {
  const e = doc.environments.development;
  e.secrets.EXTRA = e.secrets.API_KEY;
});
integ("renamed-entry", "a secret renamed", (doc) => {
  const e = doc.environments.development;
  e.secrets.RENAMED = e.secrets.API_KEY;
  delete e.secrets.API_KEY;
});
integ("rolled-back-entry", "a value replaced by an older ciphertext of the same secret", (doc, keys) => {
  const e = doc.environments.development;
  e.secrets.API_KEY = c.sealValue(keys.development, { vaultId: doc.id, env: "development", name: "API_KEY" }, "older-value");
});
integ("mac-changed", "the MAC altered", (doc) => {
  const e = doc.environments.development;
  e.mac = flip(e.mac, 5);
});
integ("mac-of-other-env", "the MAC copied from another environment", (doc) => {
  doc.environments.development.mac = doc.environments.staging.mac;
}, { development: basic, staging: basic });
integ("moved-between-envs", "a ciphertext moved from another environment (different key)", (doc) => {
  doc.environments.development.secrets.API_KEY = doc.environments.staging.secrets.API_KEY;
}, { development: basic, staging: basic });
integ("moved-between-vaults", "a ciphertext from another vault sealed under the same key", (doc, keys) => {
  const e = doc.environments.development;
  e.secrets.API_KEY = c.sealValue(keys.development, { vaultId: "another-vault-0000000", env: "development", name: "API_KEY" }, "x");
  reseal(doc, keys, "development");
});
integ("moved-name-resealed", "a ciphertext moved to another name with the MAC recomputed: still caught by its binding", (doc, keys) => {
  const e = doc.environments.development;
  e.secrets.DATABASE_URL = e.secrets.API_KEY;
  reseal(doc, keys, "development");
});
integ("truncated-ciphertext", "a ciphertext cut short", (doc, keys) => {
  const e = doc.environments.development;
  e.secrets.API_KEY = e.secrets.API_KEY.slice(0, 60);
  reseal(doc, keys, "development");
});
integ("planted-slot", "a member slot added without the key (sealed to the planter's own public key)", (doc) => {
  const mallory = c.newIdentity();
  doc.environments.development.slots.push({ type: "recipient", member: "alice", kind: "sealenv", pk: c.toB64(mallory.publicKey), box: c.sealToRecipient(c.newDataKey(), mallory.publicKey) });
});
integ("default-flipped", "the default moved to another environment without the keys", (doc) => {
  doc.defaultEnv = "staging";
}, { development: basic, staging: basic });
integ("generation-changed", "the generation raised without the key", (doc) => {
  doc.environments.development.generation = 7;
});
integ("retired-id-removed", "a retired key id removed without the key", (doc, keys) => {
  doc.environments.development.retiredKeyIds = ["AAAAAAAAAAAAAAAAAAAAAA"];
  reseal(doc, keys, "development");
  doc.environments.development.retiredKeyIds = [];
});
integ("slot-cost-changed", "a passphrase slot's Argon2id cost changed without the key (read with a key string)", (doc, keys) => {
  doc.environments.development.slots = [c.sealPassphraseSlot(keys.development.dataKey, PASSPHRASE)];
  reseal(doc, keys, "development");
  doc.environments.development.slots[0].ops = 4;
});

// --- keys ---
const keyCase = (name, expect, comment, mutate) => failure(name, expect, comment, { development: basic, staging: basic }, mutate);
keyCase("key-of-other-vault", "wrong-key", "a key string from another vault", (doc, keys, header) => {
  header.key = c.formatKeyString("development", c.newDataKey());
});
keyCase("key-retired", "stale-key", "the key from before a rotation", (doc, keys, header) => {
  const old = c.newDataKey();
  doc.environments.development.retiredKeyIds = [c.keyIdOf(old)];
  header.key = c.formatKeyString("development", old);
});
keyCase("key-of-other-env", "other-env-key", "the staging key given for development", (doc, keys, header) => {
  header.key = c.formatKeyString("staging", keys.staging.dataKey);
});
keyCase("key-checksum", "bad-key-string", "a key string with a wrong checksum", (doc, keys, header) => {
  header.key = header.key.replace(/:[^:]+$/, ":AAAAAAAA");
});
keyCase("key-truncated", "bad-key-string", "a key string cut short", (doc, keys, header) => {
  header.key = header.key.slice(0, 40);
});
keyCase("key-wrong-prefix", "bad-key-string", "not a sealenv key string", (doc, keys, header) => {
  header.key = "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ";
});
keyCase("no-key", "no-key", "no key source at all", (doc, keys, header) => {
  delete header.key;
});
keyCase("identity-not-member", "no-key", "an identity that is not a member", (doc, keys, header) => {
  delete header.key;
  const member = c.newIdentity();
  doc.environments.development.slots = [{ type: "recipient", member: "bob", kind: "sealenv", pk: c.toB64(member.publicKey), box: c.sealToRecipient(keys.development.dataKey, member.publicKey) }];
  header.identity = c.formatIdentity(c.newIdentity());
});
keyCase("slot-with-foreign-key", "no-key", "a member slot that opens to a key that is not the environment's: skipped, and no other source has it", (doc, keys, header) => {
  delete header.key;
  const member = c.newIdentity();
  doc.environments.development.slots = [{ type: "recipient", member: "bob", kind: "sealenv", pk: c.toB64(member.publicKey), box: c.sealToRecipient(c.newDataKey(), member.publicKey) }];
  header.identity = c.formatIdentity(member);
});
keyCase("wrong-passphrase", "wrong-key", "a passphrase that does not open the slot (Argon2id MODERATE)", (doc, keys, header) => {
  delete header.key;
  doc.environments.development.slots = [c.sealPassphraseSlot(keys.development.dataKey, PASSPHRASE)];
  header.passphrase = "not the passphrase at all";
});

console.log(`wrote ${count} vectors to ${path.relative(process.cwd(), out) || out}`);
