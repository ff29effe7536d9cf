import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { bech32Encode } from "../../src/crypto/bech32.js";
import { loadSodium, parseKeyString } from "../../src/crypto/index.js";
import type { RecipientSlot } from "../../src/format/index.js";
import { PASSPHRASE, ROOT, workspace, type Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { editByHand, readDoc } from "../support/tamper.js";

/**
 * age and SOPS users: members added by their `age1...` recipient, whose slots Debian's
 * `age` opens, and who unlock with the identities age-keygen wrote where SOPS reads them.
 */
const fixture = useFixture();

beforeAll(loadSodium);

interface AgeUser {
  w: Workspace;
  /** SOPS's keys.txt on Linux, written by `age-keygen`. */
  keys: string;
  recipient: string;
}

/** Someone with a HOME of their own and an age identity in SOPS's keys.txt, made by the real `age-keygen`. */
function ageUser(extraEnv: Record<string, string | undefined> = {}): AgeUser {
  const w = workspace(extraEnv);
  const keys = path.join(w.home, ".config", "sops", "age", "keys.txt");
  mkdirSync(path.dirname(keys), { recursive: true });
  const made = spawnSync("age-keygen", ["-o", keys], { encoding: "utf8" });
  if (made.status !== 0) throw new Error(`age-keygen failed: ${made.stderr}`);
  const recipient = spawnSync("age-keygen", ["-y", keys], { encoding: "utf8" }).stdout.trim();
  return { w, keys, recipient };
}

const ageSlot = (file: string, member: string, env = "development"): RecipientSlot => {
  const slot = readDoc(file).environments[env]!.slots.find((s): s is RecipientSlot => s.type === "recipient" && s.member === member);
  if (!slot) throw new Error(`no slot for ${member}`);
  return slot;
};

/** `age -d -i keys` over the slot's box, as a user of the age tool would open it. */
function ageDecrypt(w: Workspace, box: string, keys: string): Buffer {
  const file = path.join(w.dir, "slot.age");
  writeFileSync(file, Buffer.from(box, "base64url"));
  const r = spawnSync("age", ["-d", "-i", keys, file]);
  if (r.status !== 0) throw new Error(`age -d failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/** The owner's project with `ann` added by her age recipient and one secret set. */
function withAgeMember(): { owner: Workspace; ann: AgeUser } {
  const owner = fixture.fresh();
  const ann = ageUser();
  expect(owner.vault(["set", "API_TOKEN", "token-123"]).code).toBe(0);
  const added = owner.vault(["member", "add", "ann", ann.recipient]);
  expect(added.stderr).toContain("ann can now open development");
  copyFileSync(owner.vaultFile, ann.w.vaultFile);
  return { owner, ann };
}

describe("vault member add NAME age1...", () => {
  it("seals the data key as an age file that Debian's age opens to the key `vault key export` prints", () => {
    const { owner, ann } = withAgeMember();
    const slot = ageSlot(owner.vaultFile, "ann");
    expect(slot.kind).toBe("age");
    const opened = ageDecrypt(owner, slot.box, ann.keys);
    expect(opened.equals(Buffer.from(parseKeyString(fixture.key, "the fixture's key").dataKey))).toBe(true);
  });

  it("lets the age member read with the identity in SOPS's keys.txt, and lists the member's kind", () => {
    const { ann } = withAgeMember();
    const got = ann.w.vault(["get", "API_TOKEN"]);
    expect(got.stderr).toBe("");
    expect(got.stdout).toBe("token-123\n");
    expect(ann.w.vault(["member", "ls"]).stdout).toMatch(/^ann {2}age {2}[0-9a-f]{4}(:[0-9a-f]{4}){3} {2}development$/m);
  });

  it("reads identities from VAULT_AGE_KEY_FILE and SOPS_AGE_KEY too, and fails on a VAULT_AGE_KEY_FILE that is not there", () => {
    const { ann } = withAgeMember();
    const moved = path.join(ann.w.home, "elsewhere.txt");
    copyFileSync(ann.keys, moved);
    const text = readFileSync(ann.keys, "utf8");
    writeFileSync(ann.keys, "");
    expect(ann.w.vault(["get", "API_TOKEN"], { env: { VAULT_AGE_KEY_FILE: moved } }).stdout).toBe("token-123\n");
    expect(ann.w.vault(["get", "API_TOKEN"], { env: { SOPS_AGE_KEY: text } }).stdout).toBe("token-123\n");
    const missing = ann.w.vault(["get", "API_TOKEN"], { env: { VAULT_AGE_KEY_FILE: path.join(ann.w.home, "missing.txt") } });
    expect(missing.code).toBe(EXIT.IO);
    expect(missing.stderr).toContain("VAULT_AGE_KEY_FILE names");
  });

  it("keeps the age member's access through a rotation, in a slot age still opens", () => {
    const { owner, ann } = withAgeMember();
    const rotated = owner.vault(["rotate", "--print-key"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    expect(rotated.code).toBe(0);
    const newKey = rotated.stdout.trim().split("\n").find((l) => l.startsWith("sealenv-key-1:"))!;
    const opened = ageDecrypt(owner, ageSlot(owner.vaultFile, "ann").box, ann.keys);
    expect(opened.equals(Buffer.from(parseKeyString(newKey, "the new key").dataKey))).toBe(true);
    copyFileSync(owner.vaultFile, ann.w.vaultFile);
    expect(ann.w.vault(["get", "API_TOKEN"]).stdout).toBe("token-123\n");
  });

  it("refuses an identity file that is not a small regular file (a device, a FIFO) at once, never reading it", () => {
    const { ann } = withAgeMember();
    const fifo = path.join(ann.w.home, "fifo");
    expect(spawnSync("mkfifo", [fifo]).status).toBe(0);
    for (const file of ["/dev/zero", fifo]) {
      const r = ann.w.vault(["get", "API_TOKEN"], { env: { VAULT_AGE_KEY_FILE: file } });
      expect({ file, code: r.code }).toEqual({ file, code: EXIT.IO });
      expect(r.stderr).toContain("not a regular file");
    }
  });

  it("refuses an age slot's box swapped for one sealed to someone else: the MAC covers it", () => {
    const { owner } = withAgeMember();
    const mallory = ageUser();
    const planted = spawnSync("age", ["-r", mallory.recipient], { input: Buffer.alloc(32, 7) }).stdout;
    editByHand(owner.vaultFile, (doc) => {
      const slot = doc.environments.development!.slots!.find((s) => (s as { member?: string }).member === "ann") as { box: string };
      slot.box = Buffer.from(planted).toString("base64url");
    });
    const r = owner.vault(["get", "API_TOKEN"]);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stdout).toBe("");
  });

  it("refuses a damaged age recipient, or plugin recipient, naming the plugin, writing nothing", () => {
    const owner = fixture.fresh();
    const before = owner.snapshot();
    const bad = owner.vault(["member", "add", "ann", "age1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"]);
    expect(bad.code).toBe(EXIT.BAD_KEY_STRING);
    expect(bad.stderr).toContain("not a valid age recipient");
    // age-plugin-yubikey's own example recipient, its last character changed.
    const plugin = owner.vault(["member", "add", "ann", "age1yubikey1qwt50d05nh5vutpdzmlg5wn80xq5negm4uj9ghv0snvdd3yysf5yw3rhl3q"]);
    expect(plugin.code).toBe(EXIT.BAD_KEY_STRING);
    expect(plugin.stderr).toContain("not a valid age recipient for age-plugin-yubikey");
    expect(owner.snapshot()).toEqual(before);
  });
});

describe("age plugin recipients (age1NAME1...), through the age tool and age-plugin-NAME", () => {
  const PLUGIN = path.join(ROOT, "test/support/age-plugin-sealtest.mjs");

  /** Puts the test plugin on `w`'s PATH (the workspace's own bin folder) as age-plugin-sealtest. */
  function installPlugin(w: Workspace): void {
    const file = path.join(path.dirname(w.dir), "bin", "age-plugin-sealtest");
    writeFileSync(file, `#!/bin/sh\nexec '${process.execPath}' '${PLUGIN}' "$@"\n`);
    chmodSync(file, 0o755);
  }

  /** A plugin recipient and its identity, carrying the same bytes, in SOPS's keys.txt of a new user. */
  function pluginUser(): AgeUser & { identity: string } {
    const w = workspace();
    const bytes = randomBytes(32);
    const identity = bech32Encode("age-plugin-sealtest-", bytes).toUpperCase();
    const keys = path.join(w.home, ".config", "sops", "age", "keys.txt");
    mkdirSync(path.dirname(keys), { recursive: true });
    writeFileSync(keys, `# a test plugin identity\n${identity}\n`, { mode: 0o600 });
    return { w, keys, recipient: bech32Encode("age1sealtest", bytes), identity };
  }

  it("seals with `age -r`, opens with `age -d` and the plugin, follows rotations, and lists the plugin", () => {
    const owner = fixture.fresh();
    const pat = pluginUser();
    installPlugin(owner);
    installPlugin(pat.w);
    expect(owner.vault(["set", "API_TOKEN", "token-123"]).code).toBe(0);
    expect(owner.vault(["member", "add", "pat", pat.recipient]).stderr).toContain("pat can now open development");
    const slot = ageSlot(owner.vaultFile, "pat");
    expect(slot.kind).toBe("age-plugin");
    const env = { ...process.env, PATH: `${path.join(path.dirname(owner.dir), "bin")}:${process.env.PATH}` };
    const opened = spawnSync("age", ["-d", "-i", pat.keys], { input: Buffer.from(slot.box, "base64url"), env });
    expect(Buffer.from(opened.stdout).equals(Buffer.from(parseKeyString(fixture.key, "the fixture's key").dataKey))).toBe(true);
    expect(owner.vault(["member", "ls"]).stdout).toMatch(/^pat {2}age-plugin-sealtest {2}/m);

    copyFileSync(owner.vaultFile, pat.w.vaultFile);
    expect(pat.w.vault(["get", "API_TOKEN"]).stdout).toBe("token-123\n");
    expect(owner.vault(["rotate", "--print-key"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(0);
    copyFileSync(owner.vaultFile, pat.w.vaultFile);
    expect(pat.w.vault(["get", "API_TOKEN"]).stdout).toBe("token-123\n");
  });

  it("never runs an age tool or plugin committed to the project, which would be handed the data key", () => {
    const owner = fixture.fresh();
    const pat = pluginUser();
    installPlugin(owner);
    spawnSync("git", ["init", "-q"], { cwd: owner.dir });
    // `npm run` puts the project's node_modules/.bin first on PATH; a contributor committed these.
    const planted = path.join(owner.dir, "node_modules", ".bin");
    const marker = path.join(owner.home, "planted-ran");
    mkdirSync(planted, { recursive: true });
    for (const name of ["age", "age-plugin-sealtest"]) {
      writeFileSync(path.join(planted, name), `#!/bin/sh\ncat >> '${marker}'\nexit 1\n`);
      chmodSync(path.join(planted, name), 0o755);
    }
    const PATH = `${planted}:${path.join(path.dirname(owner.dir), "bin")}:${process.env.PATH}`;
    expect(spawnSync("sh", ["-c", "command -v age"], { env: { PATH }, encoding: "utf8" }).stdout.trim()).toBe(path.join(planted, "age"));

    const added = owner.vault(["member", "add", "pat", pat.recipient], { env: { PATH } });
    expect([added.code, added.stderr]).toEqual([0, expect.stringContaining("pat can now open development")]);
    expect(ageSlot(owner.vaultFile, "pat").kind).toBe("age-plugin");
    expect(existsSync(marker)).toBe(false);
  });

  it("says what to install when the plugin or the age tool is missing, and writes nothing", () => {
    const owner = fixture.fresh();
    const pat = pluginUser();
    const before = owner.snapshot();
    const noPlugin = owner.vault(["member", "add", "pat", pat.recipient]);
    expect(noPlugin.code).toBe(EXIT.COMMAND_NOT_FOUND);
    expect(noPlugin.stderr).toContain("age-plugin-sealtest on PATH");
    installPlugin(owner);
    const noAge = owner.vault(["member", "add", "pat", pat.recipient], { env: { PATH: path.join(path.dirname(owner.dir), "bin") } });
    expect(noAge.code).toBe(EXIT.COMMAND_NOT_FOUND);
    expect(noAge.stderr).toContain("the age tool");
    expect(owner.snapshot()).toEqual(before);
  });

  it("gives the age tool and the plugin neither sealenv's credentials nor SOPS's age key", () => {
    const owner = fixture.fresh();
    const pat = pluginUser();
    installPlugin(owner);
    const log = path.join(owner.dir, "plugin-env.log");
    const sops = { SOPS_AGE_KEY: "AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ", SOPS_AGE_KEY_FILE: path.join(owner.home, "none.txt") };
    expect(owner.vault(["member", "add", "pat", pat.recipient], { env: { ...sops, SEALTEST_ENV_LOG: log } }).code).toBe(0);
    const seen = readFileSync(log, "utf8").trim().split("\n").flatMap((line) => JSON.parse(line) as string[]);
    expect(seen).toContain("SEALTEST_ENV_LOG");
    expect(seen.filter((name) => /^(VAULT_|SOPS_AGE_KEY)/.test(name))).toEqual([]);
  });

  it("checks every plugin it must re-seal to before `member rm` rotates anything", () => {
    const owner = fixture.fresh();
    const pat = pluginUser();
    const ann = ageUser();
    installPlugin(owner);
    expect(owner.vault(["member", "add", "pat", pat.recipient]).code).toBe(0);
    expect(owner.vault(["member", "add", "ann", ann.recipient]).code).toBe(0);
    rmSync(path.join(path.dirname(owner.dir), "bin", "age-plugin-sealtest"));
    const before = owner.snapshot();
    const r = owner.vault(["member", "rm", "ann"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    expect(r.code).toBe(EXIT.COMMAND_NOT_FOUND);
    expect(r.stderr).toContain("nothing was changed");
    expect(owner.snapshot()).toEqual(before);
  });

  it("tells a plugin member without the plugin what to install", () => {
    const owner = fixture.fresh();
    const pat = pluginUser();
    installPlugin(owner);
    expect(owner.vault(["member", "add", "pat", pat.recipient]).code).toBe(0);
    copyFileSync(owner.vaultFile, pat.w.vaultFile);
    const r = pat.w.vault(["get", "API_TOKEN"]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("needs age-plugin-sealtest on PATH");
    expect(r.stderr).not.toContain("not one of its members");
  });
});
