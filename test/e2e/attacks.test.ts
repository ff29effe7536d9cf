/**
 * Attacks on a committed secrets.vault, made the way an attacker would make them: by
 * editing the file by hand, or by forging parts with sealenv's own crypto and the public
 * keys anyone can read in the file. The attacker holds no current key (the removed member
 * holds old ones). Each test runs the real `vault` binary for several people, each with a
 * HOME (and so an identity and a memory of verified keys) of their own, in real git
 * repositories where history matters, and checks that the attack is refused or harmless:
 * exit codes, nothing on stdout, the victim's file and program unaffected.
 *
 * The team vaults are written with the library, as a key holder's `vault init` + `vault
 * member add` would leave them but without a passphrase slot, so no test but the KDF one
 * pays for Argon2id.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import {
  deriveKeys,
  formatKeyString,
  loadSodium,
  newDataKey,
  parseKeyString,
  sealPassphraseSlot,
  signerOf,
  signKeyLink,
  toB64,
} from "../../src/crypto/index.js";
import { serializeVault, type PassphraseSlot } from "../../src/format/index.js";
import { PASSPHRASE, workspace } from "../support/cli.js";
import { reseal } from "../support/environments.js";
import { expectNoneOf, expectReceives, expectRefused } from "../support/expectations.js";
import { useWorkspaces } from "../support/fixture.js";
import { git, gitRun } from "../support/git.js";
import { as, holdsCurrentKey, newMachine, person, probe, type Person } from "../support/people.js";
import { commit, freshClone, project } from "../support/projects.js";
import { editByHand, putCiphertext, readDoc, rewriteDoc, writeWithOldKey, type RawEnv } from "../support/tamper.js";
import { buildVault, DEV, EVIL, EVIL_MARKS, forgedEnvironment, PROD, slotFor } from "../support/team-vaults.js";

useWorkspaces();

let alice: Person;
let bob: Person;
let carol: Person;
let mallory: Person;
let eve: Person;

beforeAll(async () => {
  await loadSodium();
  [alice, bob, carol, mallory, eve] = ["alice", "bob", "carol", "mallory", "eve"].map(person) as [Person, Person, Person, Person, Person];
});

// ---------------------------------------------------------------------------------------

describe("a writer without a current key", () => {
  it("1. cannot plant a slot under a member's name: every read fails as modified, rotate, member rm/add and set refuse, and the planted key never gets the key", () => {
    const team = buildVault({ development: { members: [alice, bob, carol], values: DEV } });
    const repo = project(alice, team);
    expectReceives([alice, bob, carol], repo, "X", DEV.X);

    // Eve cannot know the data key: she seals a key of her own to her own public key, labelled "bob".
    const planted = editByHand(repo.file, (doc) => doc.environments.development!.slots.push(slotFor(eve, newDataKey(), "bob")));

    for (const p of [alice, bob, carol]) {
      const read = as(p, repo.dir, ["get", "DB_PASSWORD"]);
      expectRefused(read, EXIT.INTEGRITY, Object.values(DEV));
      expect(read.stderr).toContain("development was modified outside sealenv");
      expectRefused(probe(p, repo.dir, "X"), EXIT.INTEGRITY, Object.values(DEV));
      expectRefused(as(p, repo.dir, ["export", "--format", "dotenv"]), EXIT.INTEGRITY, Object.values(DEV));
    }
    // Nothing that would re-seal the environment (and so launder the slot, or hand it a new key) goes through.
    expectRefused(as(alice, repo.dir, ["rotate"]), EXIT.INTEGRITY);
    expectRefused(as(alice, repo.dir, ["member", "rm", "carol"]), EXIT.INTEGRITY);
    expectRefused(as(alice, repo.dir, ["member", "rm", "bob"]), EXIT.INTEGRITY);
    expectRefused(as(alice, repo.dir, ["member", "add", "mallory", mallory.recipient, "--env", "development"]), EXIT.INTEGRITY);
    expectRefused(as(alice, repo.dir, ["set", "DB_PASSWORD", "changed-meanwhile"]), EXIT.INTEGRITY);
    expect(readFileSync(repo.file, "utf8")).toBe(planted);

    // `member ls` shows the second key under bob's label for what it is.
    const ls = as(alice, repo.dir, ["member", "ls"]);
    expect(ls.stderr).toContain("bob labels more than one key");

    // The planter opens nothing, and no slot sealed to her holds the environment's key.
    const hers = as(eve, repo.dir, ["get", "DB_PASSWORD"]);
    expectRefused(hers, EXIT.NO_KEY, Object.values(DEV));
    expect(holdsCurrentKey(eve, repo.file, "development")).toBe(false);
  });

  it("2a. cannot get a planted slot through a merge: the sealenv merge driver names their side as failing verification and keeps the slot out", () => {
    const team = buildVault({ development: { members: [alice, bob], values: DEV } });
    const repo = project(alice, team, { git: true });
    expectReceives([alice, bob], repo, "X", DEV.X);

    git(eve, repo.dir, ["checkout", "-qb", "eve-feature"]);
    editByHand(repo.file, (doc) => doc.environments.development!.slots.push(slotFor(eve, newDataKey(), "bob")));
    commit(eve, repo, "bob's new laptop");

    git(alice, repo.dir, ["checkout", "-q", "main"]);
    expect(as(alice, repo.dir, ["set", "DB_PASSWORD", "rotated-password-99"]).code).toBe(0);
    commit(alice, repo, "new db password");

    const merge = gitRun(alice, repo.dir, ["merge", "eve-feature", "-m", "merge eve-feature"]);
    expect(merge.code).not.toBe(0);
    const said = merge.stdout + merge.stderr;
    expect(said).toContain("environment development (their side fails verification");
    expectNoneOf(merge, Object.values(DEV));

    const merged = readDoc(repo.file);
    expect(merged.environments.development!.slots.map((s) => (s.type === "recipient" ? s.pk : ""))).not.toContain(toB64(eve.publicKey));
    // The vault stays readable during the conflict: our side, verified.
    expectReceives([alice, bob], repo, "DB_PASSWORD", "rotated-password-99");

    // Settling it and rotating later never hands eve a key.
    expect(as(alice, repo.dir, ["resolve", "--ours"]).code).toBe(0);
    commit(alice, repo, "merged");
    expect(as(alice, repo.dir, ["rotate"]).code).toBe(0);
    expect(holdsCurrentKey(eve, repo.file, "development")).toBe(false);
    expectRefused(as(eve, repo.dir, ["get", "DB_PASSWORD"]), EXIT.NO_KEY, ["rotated-password-99"]);
    expectReceives([alice, bob], repo, "DB_PASSWORD", "rotated-password-99");
  });

  it("3a. cannot replace an environment with one of its own at a higher generation behind a fake key link (refused as replaced, also on a fresh clone)", () => {
    const team = buildVault({ development: { members: [alice, bob], values: DEV } });
    const repo = project(alice, team, { git: true });
    expectReceives([alice, bob], repo, "X", DEV.X);

    // Rebuilt from public data: a fresh key sealed to the members' public keys, eve's values,
    // one generation up, and a link "from" the old key that the old key never signed.
    rewriteDoc(repo.file, (doc) => {
      const old = doc.environments.development!;
      const keys = deriveKeys(newDataKey());
      const next = { generation: old.generation + 1, keyId: keys.keyId, signer: signerOf(keys) };
      const fakeLink = { ...signKeyLink(doc.id, "development", keys, next), from: old.keyId };
      doc.environments.development = forgedEnvironment(keys, doc.id, "development", true, [alice, bob], { ...DEV, ...EVIL }, {
        ...next,
        retiredKeyIds: [old.keyId],
        keyLinks: [fakeLink],
      });
    });
    commit(eve, repo, "rotate development");

    for (const p of [alice, bob]) {
      const r = probe(p, repo.dir, "X");
      expectRefused(r, EXIT.REPLACED, EVIL_MARKS);
      expect(r.stderr).toContain("cannot link to the one it verified before");
      expectRefused(as(p, repo.dir, ["get", "X"]), EXIT.REPLACED, EVIL_MARKS);
    }
    const clone = freshClone(bob, repo);
    expectRefused(probe(clone.who, clone.repo.dir, "X"), EXIT.REPLACED, EVIL_MARKS);
    expectRefused(probe(clone.who, clone.repo.dir, "NODE_OPTIONS"), EXIT.REPLACED, EVIL_MARKS);
  });

  it("3b. cannot replace the whole vault with one under a new vault id (refused as replaced where it was opened before, and on a fresh clone)", () => {
    const team = buildVault({ development: { members: [alice, bob], values: DEV } });
    const repo = project(alice, team, { git: true });
    expectReceives([alice, bob], repo, "X", DEV.X);

    const forged = buildVault({ development: { members: [alice, bob], values: { ...DEV, ...EVIL } } });
    expect(forged.doc.id).not.toBe(team.doc.id);
    writeFileSync(repo.file, serializeVault(forged.doc));
    commit(eve, repo, "re-create the vault");

    for (const p of [alice, bob]) {
      const r = probe(p, repo.dir, "X");
      expectRefused(r, EXIT.REPLACED, EVIL_MARKS);
      expect(r.stderr).toContain("not the vault this machine knew here");
    }
    const clone = freshClone(bob, repo);
    const fresh = probe(clone.who, clone.repo.dir, "X");
    expectRefused(fresh, EXIT.REPLACED, EVIL_MARKS);
    // Its history holds the genuine vault's id first, then the new one: the place is contested.
    expect(fresh.stderr).toMatch(new RegExp(`expected ${team.doc.id}|2 different vault ids at this place`));
  });

  it("5. cannot flip the default to production by hand: a plain vault run holding both keys is refused and no production value is injected", () => {
    const team = buildVault({ development: { members: [alice, carol], values: DEV }, production: { members: [alice, carol], values: PROD } });
    const repo = project(alice, team);
    expectReceives([carol], repo, "X", DEV.X);
    expectReceives([carol], repo, "X", PROD.X, ["--env", "production"]);
    // A CI job holding both key strings.
    const ci = workspace({
      VAULT_KEY_DEVELOPMENT: formatKeyString("development", team.keys.development!.dataKey),
      VAULT_KEY_PRODUCTION: formatKeyString("production", team.keys.production!.dataKey),
    });
    const runner: Person = { ...carol, name: "ci", w: ci };
    expectReceives([runner], repo, "X", DEV.X);

    const flipped = editByHand(repo.file, (doc) => {
      doc.default = "production";
    });
    for (const p of [carol, runner]) {
      const r = probe(p, repo.dir, "X");
      expectRefused(r, EXIT.INTEGRITY, Object.values(PROD));
      expect(r.stderr).toContain("production was modified outside sealenv");
      expectRefused(probe(p, repo.dir, "DB_PASSWORD"), EXIT.INTEGRITY, Object.values(PROD));
      expectRefused(as(p, repo.dir, ["get", "DB_PASSWORD"]), EXIT.INTEGRITY, Object.values(PROD));
      expectRefused(as(p, repo.dir, ["export", "--format", "json"]), EXIT.INTEGRITY, Object.values(PROD));
    }
    // Naming development explicitly does not help either: its MAC says it is the default.
    expectRefused(probe(carol, repo.dir, "X", ["--env", "development"]), EXIT.INTEGRITY, Object.values(DEV));
    expect(readFileSync(repo.file, "utf8")).toBe(flipped);
  });
});

describe("a removed member holding old keys", () => {
  /** Alice, bob and mallory share development; alice removes mallory (which rotates); mallory kept her old key string. */
  function afterRemoval() {
    const team = buildVault({ development: { members: [alice, bob, mallory], values: DEV }, production: { members: [alice], values: PROD } });
    const repo = project(alice, team, { git: true });
    expectReceives([alice, bob, mallory], repo, "X", DEV.X);
    const oldKey = as(mallory, repo.dir, ["key", "export", "--env", "development"]).stdout.trim();
    expect(oldKey).toMatch(/^sealenv-key-1:development:/);

    const removed = as(alice, repo.dir, ["member", "rm", "mallory"]);
    expect(removed.code).toBe(0);
    expect(removed.stderr).toContain("rotated development");
    commit(alice, repo, "remove mallory");
    expectReceives([alice, bob], repo, "X", DEV.X);
    expectRefused(as(mallory, repo.dir, ["get", "X"]), EXIT.NO_KEY);
    return { team, repo, oldKey };
  }

  it("4. cannot roll the vault back to before her removal: refused as rolled back where the newer key was seen and on a fresh clone; --allow-rollback reads but never writes", () => {
    const { repo, oldKey } = afterRemoval();
    const removal = readFileSync(repo.file, "utf8");

    // Mallory restores the file from before her removal and writes with the key she kept
    // (her own sealenv refuses: her clone's history holds the removal).
    git(mallory, repo.dir, ["checkout", "HEAD~1", "--", "secrets.vault"]);
    expectRefused(as(mallory, repo.dir, ["set", "X", EVIL.X]), EXIT.ROLLED_BACK);
    writeWithOldKey(repo.file, oldKey, EVIL);
    commit(mallory, repo, "fix config");
    const rolledBack = readFileSync(repo.file, "utf8");
    expect(rolledBack).not.toBe(removal);

    for (const p of [alice, bob]) {
      const r = probe(p, repo.dir, "X");
      expectRefused(r, EXIT.ROLLED_BACK, EVIL_MARKS);
      expect(r.stderr).toContain("older than generation 1");
      expectRefused(as(p, repo.dir, ["export", "--format", "dotenv"]), EXIT.ROLLED_BACK, EVIL_MARKS);
    }

    // Reading the old version on purpose works; nothing is written under the old key.
    const read = as(alice, repo.dir, ["get", "X", "--allow-rollback"]);
    expect({ code: read.code, stdout: read.stdout }).toEqual({ code: 0, stdout: `${EVIL.X}\n` });
    expectRefused(as(alice, repo.dir, ["set", "X", "repaired-value", "--allow-rollback"]), EXIT.ROLLED_BACK);
    expectRefused(as(alice, repo.dir, ["rotate", "--allow-rollback"]), EXIT.ROLLED_BACK);
    expectRefused(as(alice, repo.dir, ["member", "add", "carol", carol.recipient, "--env", "development", "--allow-rollback"]), EXIT.ROLLED_BACK);
    expectRefused(as(alice, repo.dir, ["rm", "NODE_OPTIONS", "--allow-rollback"]), EXIT.ROLLED_BACK);
    expect(readFileSync(repo.file, "utf8")).toBe(rolledBack);

    // A fresh clone whose history holds the removal commit refuses it too.
    const clone = freshClone(bob, repo);
    const fresh = probe(clone.who, clone.repo.dir, "X");
    expectRefused(fresh, EXIT.ROLLED_BACK, EVIL_MARKS);
    expectRefused(probe(clone.who, clone.repo.dir, "NODE_OPTIONS"), EXIT.ROLLED_BACK, EVIL_MARKS);
  });

  it("4c. a clone that pulls her removal and her rollback at once learns the removal from its history and refuses the rollback", () => {
    const team = buildVault({ development: { members: [alice, bob, mallory], values: DEV }, production: { members: [alice], values: PROD } });
    const repo = project(alice, team, { git: true });
    // Bob's clone has opened generation 0 and then not pulled for a while.
    const stale = freshClone(bob, repo);
    expectReceives([stale.who], stale.repo, "X", DEV.X);
    const oldKey = as(mallory, repo.dir, ["key", "export", "--env", "development"]).stdout.trim();

    expect(as(alice, repo.dir, ["member", "rm", "mallory"]).code).toBe(0);
    commit(alice, repo, "remove mallory");
    git(mallory, repo.dir, ["checkout", "HEAD~1", "--", "secrets.vault"]);
    writeWithOldKey(repo.file, oldKey, EVIL);
    commit(mallory, repo, "fix config");

    git(stale.who, stale.repo.dir, ["pull", "-q", "--ff-only"]);
    expectRefused(probe(stale.who, stale.repo.dir, "X"), EXIT.ROLLED_BACK, EVIL_MARKS);
  });

  it("4b. cannot sign a new generation with her old key either: refused as replaced where the newer key was seen and on a fresh clone", () => {
    const { repo, oldKey } = afterRemoval();
    rewriteDoc(repo.file, (doc) => {
      const current = doc.environments.development!;
      const oldKeys = deriveKeys(parseKeyString(oldKey, "mallory's old key").dataKey);
      const keys = deriveKeys(newDataKey());
      const next = { generation: current.generation + 1, keyId: keys.keyId, signer: signerOf(keys) };
      // A genuine signature by the key she held, forking from it past the rotation that removed her.
      const fork = signKeyLink(doc.id, "development", oldKeys, next);
      doc.environments.development = forgedEnvironment(keys, doc.id, "development", true, [alice, bob, mallory], { ...DEV, ...EVIL }, {
        ...next,
        retiredKeyIds: [...current.retiredKeyIds, current.keyId],
        keyLinks: [...current.keyLinks, fork],
      });
    });
    commit(mallory, repo, "rotate development");

    for (const p of [alice, bob]) expectRefused(probe(p, repo.dir, "X"), EXIT.REPLACED, EVIL_MARKS);
    const clone = freshClone(bob, repo);
    expectRefused(probe(clone.who, clone.repo.dir, "X"), EXIT.REPLACED, EVIL_MARKS);
  });

  it("2b. cannot bring her slot back through a merge under another label: the merge driver names their side as failing verification", () => {
    const { repo, oldKey } = afterRemoval();

    // On a branch: the environment from before her removal, her slot relabelled "bob-ci",
    // re-sealed with the old key she kept (so it verifies under that key).
    git(mallory, repo.dir, ["checkout", "-qb", "mallory-ci"]);
    git(mallory, repo.dir, ["checkout", "HEAD~1", "--", "secrets.vault"]);
    rewriteDoc(repo.file, (doc) => {
      for (const s of doc.environments.development!.slots) if (s.type === "recipient" && s.member === "mallory") s.member = "bob-ci";
      reseal(doc, "development", deriveKeys(parseKeyString(oldKey, "mallory's old key").dataKey));
    });
    commit(mallory, repo, "ci member");

    git(alice, repo.dir, ["checkout", "-q", "main"]);
    expect(as(alice, repo.dir, ["set", "API_URL", "https://api-v2.example.com", "--env", "production"]).code).toBe(0);
    commit(alice, repo, "new api");

    const merge = gitRun(alice, repo.dir, ["merge", "mallory-ci", "-m", "merge mallory-ci"]);
    expect(merge.code).not.toBe(0);
    expect(merge.stdout + merge.stderr).toContain("environment development (their side fails verification");
    expectNoneOf(merge, [...Object.values(DEV), ...Object.values(PROD)]);

    const merged = readDoc(repo.file).environments.development!;
    expect(merged.generation).toBe(1);
    expect(merged.slots.some((s) => s.type === "recipient" && (s.member === "bob-ci" || s.pk === toB64(mallory.publicKey)))).toBe(false);
    expect(holdsCurrentKey(mallory, repo.file, "development")).toBe(false);
    expectRefused(as(mallory, repo.dir, ["get", "X"]), EXIT.NO_KEY, Object.values(DEV));
    expectReceives([alice, bob], repo, "X", DEV.X);
  });
});

describe("hostile slots", () => {
  it("6. max-cost passphrase slots are refused before any hashing, in under 5 s, and git diff with VAULT_PASSPHRASE never runs Argon2id", () => {
    // A passphrase-only environment, as `vault init --passphrase` makes it (the test's one Argon2id run).
    const team = buildVault({
      development: { members: [], values: { SERVICE_TOKEN: "service-token-0001" }, slots: (k) => [sealPassphraseSlot(k.dataKey, PASSPHRASE)] },
    });
    const repo = project(alice, team, { git: true });
    const original = readFileSync(repo.file, "utf8");
    const withPassphrase = { VAULT_PASSPHRASE: PASSPHRASE };
    const keyString = formatKeyString("development", team.keys.development!.dataKey);

    const planted = (ops: number, mem: number): PassphraseSlot => ({
      type: "passphrase",
      kdf: "argon2id13",
      ops,
      mem,
      salt: toB64(randomBytes(16)),
      nonce: toB64(randomBytes(24)),
      box: toB64(randomBytes(48)),
    });
    const timed = (args: string[]) => {
      const started = performance.now();
      const r = as(alice, repo.dir, args, withPassphrase);
      return { r, ms: performance.now() - started };
    };
    const cases: { what: string; change: (env: RawEnv) => void; says: string }[] = [
      { what: "6 planted slots at the maximum cost", change: (env) => env.slots.push(...Array.from({ length: 6 }, () => planted(4, 536870912))), says: "7 passphrase slots; sealenv reads at most 2" },
      { what: "6 planted slots at ops 16, 1 GiB", change: (env) => env.slots.push(...Array.from({ length: 6 }, () => planted(16, 1024 ** 3))), says: "7 passphrase slots; sealenv reads at most 2" },
      { what: "the slots made to ask ops 16, 1 GiB", change: (env) => (env.slots = [{ ...env.slots[0], ops: 16, mem: 1024 ** 3 }, planted(16, 1024 ** 3)]), says: "asks for more Argon2id work than sealenv allows" },
    ];
    for (const c of cases) {
      writeFileSync(repo.file, original);
      const hostile = editByHand(repo.file, (doc) => c.change(doc.environments.development!));
      for (const args of [["get", "SERVICE_TOKEN"], ["run", "--", process.execPath, "-e", "console.log(process.env.SERVICE_TOKEN)"]]) {
        const { r, ms } = timed(args);
        expect({ what: c.what, code: r.code, stdout: r.stdout }).toEqual({ what: c.what, code: EXIT.BAD_VAULT, stdout: "" });
        expect(r.stderr).toContain(c.says);
        expect(r.stderr).not.toContain("service-token-0001");
        expect(ms, `${c.what}: vault ${args[0]} took ${Math.round(ms)} ms`).toBeLessThan(5000);
      }
      expect(readFileSync(repo.file, "utf8")).toBe(hostile);
    }

    // git's textconv runs on every diff, on files anyone could write: it never hashes a passphrase.
    writeFileSync(repo.file, original);
    expect(as(alice, repo.dir, ["set", "SERVICE_TOKEN", "service-token-0002"], { VAULT_KEY: keyString }).code).toBe(0);
    const started = performance.now();
    const diff = gitRun(alice, repo.dir, ["diff"], withPassphrase);
    const ms = performance.now() - started;
    expect(diff.code).toBe(0);
    expect(diff.stdout).toContain("(no key here: showing ciphertext fingerprints)");
    expect(diff.stdout).toMatch(/^\+SERVICE_TOKEN {2}sealed /m);
    expect(diff.stdout).not.toMatch(/SERVICE_TOKEN {2}fingerprint/);
    expect(ms, `git diff took ${Math.round(ms)} ms`).toBeLessThan(5000);
  });

  it("7. a decoy slot sealed to a member's key never locks them out; without the MAC it is a modification (exit 10), and a malformed public key is a bad vault naming the slot (exit 11)", () => {
    // (a) A key holder's file with decoys before bob's real slot: a random key, and an old key of the environment.
    const retired = deriveKeys(newDataKey());
    const team = buildVault({
      development: {
        members: [alice, bob],
        values: DEV,
        slots: (k) => [slotFor(bob, newDataKey(), "bob"), slotFor(bob, retired.dataKey, "bob"), slotFor(alice, k.dataKey), slotFor(bob, k.dataKey)],
      },
    });
    const env = team.doc.environments.development!;
    env.retiredKeyIds = [retired.keyId];
    reseal(team.doc, "development", team.keys.development!);
    const repo = project(alice, team);
    expectReceives([alice, bob], repo, "X", DEV.X);
    expect(as(bob, repo.dir, ["get", "DB_PASSWORD"]).stdout).toBe(`${DEV.DB_PASSWORD}\n`);

    // (b) The same decoy put there by hand, by someone without the key: a modification, not a crash or a lock-out message.
    const plain = project(alice, buildVault({ development: { members: [alice, bob], values: DEV } }));
    expectReceives([bob], plain, "X", DEV.X);
    const good = readFileSync(plain.file, "utf8");
    editByHand(plain.file, (doc) => doc.environments.development!.slots.unshift(slotFor(bob, newDataKey(), "bob")));
    for (const p of [bob, alice]) {
      const r = as(p, plain.dir, ["get", "X"]);
      expectRefused(r, EXIT.INTEGRITY, Object.values(DEV));
      expect(r.stderr).toContain("development was modified outside sealenv");
    }

    // (c) Malformed member slots: refused when read, naming the slot, by every command.
    const zeros = toB64(new Uint8Array(32));
    const lowOrder = toB64(Uint8Array.from([1, ...new Array<number>(31).fill(0)]));
    const malformed: { what: string; slot: Record<string, unknown>; says: string }[] = [
      { what: "an all-zero public key", slot: { ...slotFor(eve, newDataKey(), "zero"), pk: zeros }, says: "slot 3: member zero has an invalid public key" },
      { what: "a low-order public key", slot: { ...slotFor(eve, newDataKey(), "low"), pk: lowOrder }, says: "slot 3: member low has an invalid public key" },
      { what: "a 31-byte public key", slot: { ...slotFor(eve, newDataKey(), "short"), pk: toB64(randomBytes(31)) }, says: "slot 3: member short has an invalid public key" },
      { what: "a public key that is not base64url", slot: { ...slotFor(eve, newDataKey(), "junk"), pk: "not+base64/at all" }, says: "slot 3: member junk has an invalid public key" },
      { what: "a box of the wrong size", slot: { ...slotFor(eve, newDataKey(), "boxy"), box: toB64(randomBytes(79)) }, says: "slot 3: member boxy has an invalid box" },
    ];
    for (const m of malformed) {
      writeFileSync(plain.file, good);
      const hostile = editByHand(plain.file, (doc) => doc.environments.development!.slots.push(m.slot));
      for (const args of [["get", "X"], ["rotate"], ["member", "rm", "bob"], ["run", "--", "true"]]) {
        const r = as(alice, plain.dir, args);
        expect({ what: m.what, args, code: r.code, stdout: r.stdout }).toEqual({ what: m.what, args, code: EXIT.BAD_VAULT, stdout: "" });
        expect(r.stderr).toContain(m.says);
        expect(r.stderr).not.toContain("unexpected");
      }
      expect(readFileSync(plain.file, "utf8")).toBe(hostile);
    }
  });
});

describe("merges and the paths that skip opening a value", () => {
  /** A repository where development's A had an older value: its ciphertext is still valid under the key. */
  function withHistory(options: { diffValues?: boolean } = {}) {
    const team = buildVault({ development: { members: [alice, bob], values: { A: "alpha-value-old", B: "bravo-value-0001" } }, production: { members: [alice], values: PROD } });
    const repo = project(alice, team, { git: true, ...options });
    expectReceives([alice, bob], repo, "A", "alpha-value-old");
    const olderA = readDoc(repo.file).environments.development!.secrets.A!;
    expect(as(alice, repo.dir, ["set", "A", "alpha-value-new"]).code).toBe(0);
    commit(alice, repo, "new A");
    return { team, repo, olderA };
  }

  it("8. vault resolve --theirs refuses their side when it rolled a value back without the key; the file keeps ours", () => {
    const { repo, olderA } = withHistory();
    git(eve, repo.dir, ["checkout", "-qb", "eve-revert"]);
    // The older ciphertext of the same secret, the MAC left as it was (eve cannot recompute it).
    putCiphertext(repo.file, "A", olderA);
    commit(eve, repo, "revert A");

    git(alice, repo.dir, ["checkout", "-q", "main"]);
    expect(as(alice, repo.dir, ["set", "A", "alpha-value-ours"]).code).toBe(0);
    commit(alice, repo, "our A");

    const merge = gitRun(alice, repo.dir, ["merge", "eve-revert", "-m", "merge eve-revert"]);
    expect(merge.code).not.toBe(0);
    expect(merge.stdout + merge.stderr).toContain("environment development (their side fails verification");
    const conflicts = as(alice, repo.dir, ["git", "conflicts"]);
    expect(conflicts.stdout).toContain("environment development (their side fails verification");
    const ours = readFileSync(repo.file, "utf8");

    // Taking their side, for the secret or for the environment, is refused, naming their side.
    const byName = as(alice, repo.dir, ["resolve", "A", "--theirs"]);
    expect(byName.code).not.toBe(0);
    expect(byName.stdout).toBe("");
    expect(byName.stderr).toContain("their side fails verification");
    const whole = as(alice, repo.dir, ["resolve", "--theirs"]);
    expectRefused(whole, EXIT.INTEGRITY, ["alpha-value-old", "alpha-value-ours"]);
    expect(whole.stderr).toContain("their side of development fails verification, so it cannot be taken");
    expect(readFileSync(repo.file, "utf8")).toBe(ours);
    expectReceives([alice, bob], repo, "A", "alpha-value-ours");
    expect(as(alice, repo.dir, ["git", "conflicts"]).stdout).toContain("their side fails verification");
  });

  it("9. an environment whose MAC fails is never used by status, scan, the diff driver or the merge driver", () => {
    const { repo, olderA } = withHistory({ diffValues: true });
    // A file elsewhere in the repository holding the value the rolled-back ciphertext decrypts to.
    writeFileSync(path.join(repo.dir, "notes.txt"), "old config: alpha-value-old\n");
    commit(alice, repo, "notes");
    const tampered = putCiphertext(repo.file, "A", olderA);
    const marks = ["alpha-value-old", "alpha-value-new"];

    // status: refuses, like any read.
    expectRefused(as(alice, repo.dir, ["status"]), EXIT.INTEGRITY, marks);
    // scan: development's values are reported as not checked, not used as they are.
    const scan = as(alice, repo.dir, ["scan"]);
    expect({ code: scan.code, stdout: scan.stdout }).toEqual({ code: EXIT.UNCHECKED, stdout: "" });
    expect(scan.stderr).toContain("development: not checked, its values were not searched for (it fails verification");
    expect(scan.stderr).not.toContain("notes.txt");
    expectNoneOf(scan, marks);
    // the pre-commit guard refuses to commit it.
    git(alice, repo.dir, ["add", "secrets.vault"]);
    const staged = as(alice, repo.dir, ["scan", "--staged"]);
    expectRefused(staged, EXIT.LEAK, marks);
    expect(staged.stderr).toContain("a vault that fails its integrity check");
    git(alice, repo.dir, ["reset", "-q"]);

    // textconv (with --diff-values, which shows plaintext for environments that verify): the
    // tampered side is marked and none of its values is opened.
    const diff = gitRun(alice, repo.dir, ["diff", "-U50"]);
    expect(diff.code).toBe(0);
    expect(diff.stdout).toMatch(/^\+\[development\] generation 0 key \S+ FAILS VERIFICATION/m);
    expect(diff.stdout).not.toContain("alpha-value-old");
    expect(diff.stdout).toContain(`API_URL = "${PROD.API_URL}"`);

    // The merge driver: the tampered environment on our side is not re-sealed into a valid one.
    git(alice, repo.dir, ["checkout", "-q", "secrets.vault"]);
    git(bob, repo.dir, ["checkout", "-qb", "bob-change"]);
    expect(as(bob, repo.dir, ["set", "B", "bravo-value-0002"]).code).toBe(0);
    commit(bob, repo, "B");
    git(alice, repo.dir, ["checkout", "-q", "main"]);
    writeFileSync(repo.file, tampered);
    commit(eve, repo, "tampered on main");
    const merge = gitRun(alice, repo.dir, ["merge", "bob-change", "-m", "merge bob-change"]);
    expect(merge.code).not.toBe(0);
    expect(merge.stdout + merge.stderr).toContain("environment development (our side fails verification");
    expectNoneOf(merge, marks);
    const afterMerge = as(alice, repo.dir, ["get", "A"]);
    expectRefused(afterMerge, EXIT.INTEGRITY, marks);
  });
});

describe("a writer without a key, beyond the issue's list", () => {
  it("a plain vault run never injects an environment that a writer without keys added and made the default", () => {
    const team = buildVault({ development: { members: [alice, bob], values: DEV } });
    const repo = project(alice, team, { git: true });
    expectReceives([alice, bob], repo, "X", DEV.X);

    // No key needed: a new environment under a fresh key of eve's, sealed to the members' public keys, made the default.
    rewriteDoc(repo.file, (doc) => {
      doc.environments.local = forgedEnvironment(deriveKeys(newDataKey()), doc.id, "local", true, [alice, bob], { ...DEV, ...EVIL });
      doc.defaultEnv = "local";
    });
    commit(eve, repo, "local environment for development");

    const clone = freshClone(bob, repo);
    for (const [p, dir] of [[alice, repo.dir], [bob, repo.dir], [clone.who, clone.repo.dir]] as const) {
      const r = probe(p, dir, "X");
      // What the member's program printed: nothing, or the attacker ran code in it.
      expect({ who: p.name, stdout: r.stdout }).toEqual({ who: p.name, stdout: "" });
      expect([EXIT.INTEGRITY, EXIT.REPLACED]).toContain(r.code);
      expectNoneOf(r, EVIL_MARKS);
    }
  });

  it("a vault planted in a subfolder of a repository this machine knows is not used without the user's say", () => {
    const team = buildVault({ development: { members: [alice, bob], values: DEV } });
    const repo = project(alice, team, { git: true });
    expectReceives([alice, bob], repo, "X", DEV.X);

    // A monorepo package folder, where `npm start` runs `vault run` with the package as cwd.
    const pkg = path.join(repo.dir, "packages", "api");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(path.join(pkg, "secrets.vault"), serializeVault(buildVault({ development: { members: [alice, bob], values: { ...DEV, ...EVIL } } }).doc));
    commit(eve, repo, "api package");

    for (const p of [alice, bob]) {
      const r = probe(p, pkg, "X");
      expect({ who: p.name, stdout: r.stdout }).toEqual({ who: p.name, stdout: "" });
      expect([EXIT.REPLACED, EXIT.UNSAFE_VAULT]).toContain(r.code);
      expectNoneOf(r, EVIL_MARKS);
    }

    // A fresh clone knows no vault yet: the nearer file shadowing the repository's own is refused too.
    const clone = freshClone(bob, repo);
    const shadow = probe(clone.who, path.join(clone.repo.dir, "packages", "api"), "X");
    expectRefused(shadow, EXIT.REPLACED, EVIL_MARKS);
    expect(shadow.stderr).toContain("shadow");
    // Naming it is the user's say.
    expect(probe(clone.who, clone.repo.dir, "X").stdout).toBe(`${DEV.X}\n`);
  });

  it("a fresh shallow clone does not take a key from a member slot that nothing vouches for", () => {
    const team = buildVault({ development: { members: [alice, bob], values: DEV } });
    const repo = project(alice, team, { git: true });
    // Eve replaces the environment with one under her own key, sealed to the members.
    rewriteDoc(repo.file, (doc) => {
      const keys = deriveKeys(newDataKey());
      doc.environments.development = forgedEnvironment(keys, doc.id, "development", true, [alice, bob], { ...DEV, ...EVIL }, { generation: 3 });
    });
    commit(eve, repo, "update");

    const who = newMachine(bob);
    const dir = path.join(who.w.dir, "ci");
    git(who, who.w.dir, ["clone", "-q", "--depth", "1", `file://${repo.dir}`, dir]);
    const r = probe(who, dir, "X");
    expectRefused(r, EXIT.REPLACED, EVIL_MARKS);
    expect(r.stderr).toContain("shallow");
  });

  it("a removed member's fork hidden behind a merge (-s ours) is refused by a stale clone, a fresh clone and an up-to-date member", () => {
    const team = buildVault({ development: { members: [alice, bob, mallory], values: DEV } });
    const repo = project(alice, team, { git: true });
    const stale = freshClone(bob, repo);
    expectReceives([stale.who], stale.repo, "X", DEV.X);
    const oldKey = as(mallory, repo.dir, ["key", "export", "--env", "development"]).stdout.trim();
    git(mallory, repo.dir, ["branch", "work"]);

    expect(as(alice, repo.dir, ["member", "rm", "mallory"]).code).toBe(0);
    commit(alice, repo, "remove mallory");
    expectReceives([alice], repo, "X", DEV.X);

    // On a branch from before her removal, mallory signs her own successor of the key she kept...
    git(mallory, repo.dir, ["checkout", "-q", "work"]);
    rewriteDoc(repo.file, (doc) => {
      const oldKeys = deriveKeys(parseKeyString(oldKey, "mallory's old key").dataKey);
      const keys = deriveKeys(newDataKey());
      const next = { generation: 2, keyId: keys.keyId, signer: signerOf(keys) };
      doc.environments.development = forgedEnvironment(keys, doc.id, "development", true, [alice, bob, mallory], { ...DEV, ...EVIL }, {
        ...next,
        retiredKeyIds: [doc.environments.development!.keyId],
        keyLinks: [signKeyLink(doc.id, "development", oldKeys, next)],
      });
    });
    commit(mallory, repo, "work");
    // ...and merges main into it keeping her file, so main fast-forwards to it.
    git(mallory, repo.dir, ["merge", "-q", "-s", "ours", "main", "-m", "merge main"]);
    git(mallory, repo.dir, ["checkout", "-q", "main"]);
    git(mallory, repo.dir, ["merge", "-q", "--ff-only", "work"]);

    git(stale.who, stale.repo.dir, ["pull", "-q", "--ff-only"]);
    expectRefused(probe(stale.who, stale.repo.dir, "X"), EXIT.REPLACED, EVIL_MARKS);
    const clone = freshClone(bob, repo);
    expectRefused(probe(clone.who, clone.repo.dir, "X"), EXIT.REPLACED, EVIL_MARKS);
    expectRefused(probe(alice, repo.dir, "X"), EXIT.REPLACED, EVIL_MARKS);
  });

  it("an environment brought in on an orphan branch merged with -s ours is refused by a fresh full clone", () => {
    const team = buildVault({ development: { members: [alice, bob], values: DEV } });
    const repo = project(alice, team, { git: true });
    const doc = readDoc(repo.file);
    const keys = deriveKeys(newDataKey());
    doc.environments.development = forgedEnvironment(keys, doc.id, "development", true, [alice, bob], { ...DEV, ...EVIL }, { generation: 5 });
    git(eve, repo.dir, ["checkout", "-q", "--orphan", "evil"]);
    writeFileSync(repo.file, serializeVault(doc));
    commit(eve, repo, "init");
    git(eve, repo.dir, ["merge", "-q", "--allow-unrelated-histories", "-s", "ours", "main", "-m", "merge"]);
    git(eve, repo.dir, ["checkout", "-q", "main"]);
    git(eve, repo.dir, ["merge", "-q", "--ff-only", "evil"]);

    const clone = freshClone(bob, repo);
    const r = probe(clone.who, clone.repo.dir, "X");
    expectRefused(r, EXIT.REPLACED, EVIL_MARKS);
  });

  it("a vault id reused in another repository, opened there first, neither poisons nor locks out this repository", () => {
    const team = buildVault({ development: { members: [alice, bob], values: DEV } });
    const repo = project(alice, team, { git: true });
    const doc = readDoc(repo.file);
    const keys = deriveKeys(newDataKey());
    doc.environments.development = forgedEnvironment(keys, doc.id, "development", true, [alice, bob], { ...DEV, ...EVIL }, { generation: 1_000_000 });
    const elsewhere = workspace().dir;
    writeFileSync(path.join(elsewhere, "secrets.vault"), serializeVault(doc));

    const dave = newMachine(bob);
    expect(probe(dave, elsewhere, "X").code).toBe(0); // trust on first use, there
    const clone = freshClone(dave, repo);
    expect(probe(dave, clone.repo.dir, "X").stdout).toBe(`${DEV.X}\n`);
    writeFileSync(repo.file, serializeVault(doc));
    commit(eve, repo, "update");
    git(dave, clone.repo.dir, ["pull", "-q", "--ff-only"]);
    expectRefused(probe(dave, clone.repo.dir, "X"), EXIT.REPLACED, EVIL_MARKS);
  });

  it("a committed lock that names a live pid or the future does not block writes", () => {
    const team = buildVault({ development: { members: [alice], values: DEV } });
    const repo = project(alice, team);
    const lock = `${repo.file}.lock`;
    for (const owner of [{ pid: 1, host: hostname(), at: Date.now() + 86_400_000 }, { pid: 1, host: hostname(), at: Date.now() - 3_600_000 }]) {
      writeFileSync(lock, JSON.stringify(owner));
      const started = performance.now();
      expect(as(alice, repo.dir, ["set", "A", `value-${owner.at}`]).code).toBe(0);
      expect(performance.now() - started).toBeLessThan(10_000);
    }
  });

  it("a lock file committed or planted beside the vault never hangs a write or fills memory", () => {
    const team = buildVault({ development: { members: [alice], values: DEV } });
    const repo = project(alice, team);
    const lock = `${repo.file}.lock`;
    symlinkSync("/dev/zero", lock);
    const started = performance.now();
    expect(as(alice, repo.dir, ["set", "A", "after-a-planted-lock"]).code).toBe(0);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(existsSync(lock)).toBe(false);
    mkdirSync(lock);
    const refused = as(alice, repo.dir, ["set", "A", "again"]);
    expect(refused.code).toBe(EXIT.IO);
    expect(refused.stderr).toContain("is not a lock file");
  });

  it("a flood of decoy slots is refused or bounded, never minutes of work", () => {
    const team = buildVault({ development: { members: [alice, bob], values: DEV } });
    const repo = project(alice, team);
    expectReceives([bob], repo, "X", DEV.X);
    const decoy = (n: number) =>
      editByHand(repo.file, (raw) => {
        const env = raw.environments.development as { slots: unknown[] };
        const fake = slotFor(bob, newDataKey());
        env.slots = [...Array.from({ length: n }, () => fake), ...env.slots];
      });
    const original = readFileSync(repo.file, "utf8");
    decoy(1001);
    const flooded = as(bob, repo.dir, ["get", "X"]);
    expect(flooded.code).toBe(EXIT.BAD_VAULT);
    expect(flooded.stderr).toContain("more than 1000 slots");
    writeFileSync(repo.file, original);
    decoy(900);
    const started = performance.now();
    const bounded = as(bob, repo.dir, ["get", "X"]);
    expect(performance.now() - started).toBeLessThan(10_000);
    expectRefused(bounded, EXIT.NO_KEY);
  });
});
