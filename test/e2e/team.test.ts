import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { deriveKeys, loadSodium, newDataKey } from "../../src/crypto/index.js";
import { PASSPHRASE, workspace, type Workspace } from "../support/cli.js";
import { useWorkspaces } from "../support/fixture.js";
import { as as asIn, person, type Person } from "../support/people.js";
import { editByHand } from "../support/tamper.js";
import { forgedEnvironment } from "../support/team-vaults.js";

useWorkspaces();

/**
 * Alice owns the vault; Bob and Carol are teammates, each with their own HOME and identity.
 * The team's vault is made once (Argon2id costs seconds); each test works on its own copy
 * in its own folder, so no test sees another's removals, rotations or forgeries.
 */
let teamVault: string;
let project: Workspace;
let alice: Person;
let bob: Person;
let carol: Person;
/** Runs `vault` as `p`, in this test's copy of the team's project. */
const as = (p: Person, args: string[], env: Record<string, string | undefined> = {}, input?: string) => asIn(p, project.dir, args, env, input);

const values = (p: Person, env: string, names: string[]) => Object.fromEntries(names.map((n) => [n, as(p, ["get", n, "--env", env]).stdout]));

beforeAll(async () => {
  await loadSodium();
  project = workspace();
  alice = person("alice");
  bob = person("bob");
  carol = person("carol");
  const withPassphrase = { VAULT_PASSPHRASE: PASSPHRASE };
  expect(as(alice, ["init", "--passphrase"], withPassphrase).code).toBe(0);
  expect(as(alice, ["env", "add", "production", "--passphrase", "--same-passphrase"], withPassphrase).code).toBe(0);
  expect(as(alice, ["member", "add", "alice", alice.recipient, "--env", "development,production"], withPassphrase).code).toBe(0);
  expect(as(alice, ["member", "add", "carol", carol.recipient, "--env", "development,production"]).code).toBe(0);
  expect(as(alice, ["member", "add", "bob", bob.recipient, "--env", "development"]).code).toBe(0);
  as(alice, ["import", "-"], {}, "DB_URL=postgres://dev\nAPI_TOKEN=dev-token-123\n");
  as(alice, ["import", "-", "--env", "production"], {}, "DB_URL=postgres://prod\nAPI_TOKEN=prod-token-456\n");
  teamVault = project.file();
});

beforeEach(() => {
  project = workspace();
  writeFileSync(path.join(project.dir, "secrets.vault"), teamVault);
});

describe("identities", () => {
  it("keeps the private half in a 0600 file where there is no keychain, and shows the public half", () => {
    const file = path.join(bob.w.home, ".config", "sealenv", "identity");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8")).toMatch(/^sealenv-identity-1:/);
    expect(bob.w.vault(["identity", "show"]).stdout.trim()).toBe(bob.recipient);
    expect(bob.recipient).toMatch(/^sealenv-recipient-1:/);
  });

  it("refuses to replace an identity without --force", () => {
    const r = bob.w.vault(["identity", "new"]);
    expect(r.code).toBe(EXIT.EXISTS);
  });

  it("works from VAULT_IDENTITY in CI", () => {
    const secret = readFileSync(path.join(bob.w.home, ".config", "sealenv", "identity"), "utf8").trim();
    const ci = workspace({ VAULT_IDENTITY: secret });
    expect(ci.vault(["get", "DB_URL"], { cwd: project.dir }).stdout).toBe("postgres://dev\n");
  });
});

describe("members", () => {
  it("lets each member open what they were given, and nothing else", () => {
    expect(as(bob, ["get", "DB_URL"]).stdout).toBe("postgres://dev\n");
    const refused = as(bob, ["get", "DB_URL", "--env", "production"]);
    expect(refused.code).toBe(EXIT.NO_KEY);
    expect(refused.stderr).toContain("no key for production: you are not one of its members");
    expect(refused.stderr).toContain("vault member add");
    expect(as(carol, ["get", "DB_URL", "--env", "production"]).stdout).toBe("postgres://prod\n");
  });

  it("lists who can open which environment, one line per member key with its fingerprint", () => {
    const fp = "[0-9a-f]{4}(:[0-9a-f]{4}){3}";
    expect(as(alice, ["member", "ls"]).stdout).toMatch(
      new RegExp(`^alice {2}sealenv {2}${fp} {2}development, production\nbob {2}sealenv {2}${fp} {2}development\ncarol {2}sealenv {2}${fp} {2}development, production\n$`),
    );
  });

  it("lets nobody grant what they cannot open", () => {
    const before = project.snapshot();
    const r = as(bob, ["member", "add", "eve", carol.recipient, "--env", "production"]);
    expect(r.code).toBe(EXIT.NO_KEY);
    expect(project.snapshot()).toEqual(before);
  });

  it("accepts an ssh-ed25519 public key, opened with the matching OpenSSH private key", () => {
    const dave = workspace();
    const ssh = path.join(dave.home, ".ssh");
    mkdirSync(ssh, { recursive: true });
    const keygen = spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "dave@laptop", "-f", path.join(ssh, "id_ed25519")]);
    expect(keygen.status).toBe(0);
    const pub = readFileSync(path.join(ssh, "id_ed25519.pub"), "utf8");
    expect(as(alice, ["member", "add", "dave", pub, "--env", "development"]).code).toBe(0);
    expect(dave.vault(["get", "API_TOKEN"], { cwd: project.dir }).stdout).toBe("dev-token-123\n");
    expect(as(alice, ["member", "rm", "dave"], { VAULT_PASSPHRASE: PASSPHRASE }).code).toBe(0);
  });
});

describe("removing a member", () => {
  it("locks them out, rotates, keeps everyone else's access and every value, and lists what they could read", () => {
    const names = ["API_TOKEN", "DB_URL"];
    const devBefore = values(alice, "development", names);
    const prodBefore = values(alice, "production", names);
    const keyBefore = JSON.parse(project.file()).environments.development.keyId;

    const r = as(alice, ["member", "rm", "bob"], { VAULT_PASSPHRASE: PASSPHRASE });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("development API_TOKEN\ndevelopment DB_URL\n");
    expect(r.stderr).toContain("rotated development");

    const doc = JSON.parse(project.file());
    expect(doc.environments.development.keyId).not.toBe(keyBefore);
    expect(doc.environments.development.slots.some((s: { member?: string }) => s.member === "bob")).toBe(false);
    const lockedOut = as(bob, ["get", "DB_URL"]);
    expect(lockedOut.code).toBe(EXIT.NO_KEY);
    expect(lockedOut.stderr).toContain("not one of its members");

    for (const p of [alice, carol]) {
      expect(values(p, "development", names)).toEqual(devBefore);
      expect(values(p, "production", names)).toEqual(prodBefore);
    }
    expect(as(alice, ["get", "DB_URL"], { VAULT_PASSPHRASE: PASSPHRASE }).stdout).toBe("postgres://dev\n");
  });

  it("keeps every member's access through vault rotate; the older file is a rollback, read only on purpose", () => {
    const older = project.file();
    expect(as(carol, ["get", "DB_URL", "--env", "production"]).stdout).toBe("postgres://prod\n");
    expect(as(alice, ["rotate", "--env", "production"], { VAULT_PASSPHRASE: PASSPHRASE }).code).toBe(0);
    expect(as(carol, ["get", "DB_URL", "--env", "production"]).stdout).toBe("postgres://prod\n");
    expect(as(alice, ["get", "DB_URL", "--env", "production"]).stdout).toBe("postgres://prod\n");
    // `git checkout` of a commit from before the rotation: an older generation than carol verified.
    const newer = project.file();
    writeFileSync(path.join(project.dir, "secrets.vault"), older);
    const refused = as(carol, ["get", "DB_URL", "--env", "production"]);
    expect(refused.code).toBe(EXIT.ROLLED_BACK);
    expect(refused.stderr).toContain("--allow-rollback");
    expect(as(carol, ["get", "DB_URL", "--env", "production", "--allow-rollback"]).stdout).toBe("postgres://prod\n");
    const write = as(carol, ["set", "DB_URL", "postgres://old", "--env", "production", "--allow-rollback"]);
    expect(write.code).toBe(EXIT.ROLLED_BACK);
    expect(project.file()).toBe(older);
    writeFileSync(path.join(project.dir, "secrets.vault"), newer);
    expect(as(carol, ["get", "DB_URL", "--env", "production"]).stdout).toBe("postgres://prod\n");
  });
});

describe("wholesale replacement", () => {
  it("is detected by a member who opened the environment before", () => {
    for (const p of [alice, carol]) expect(as(p, ["get", "DB_URL"]).stdout).toBe("postgres://dev\n");
    // Someone with write access but no key: a fresh key, sealed to the same members, their own values.
    editByHand(project.vaultFile, (doc) => {
      const env = doc.environments.development!;
      doc.environments.development = forgedEnvironment(deriveKeys(newDataKey()), doc.id, "development", true, [alice, carol], { DB_URL: "postgres://attacker" }, {
        generation: env.generation + 1,
        retiredKeyIds: env.retiredKeyIds,
        keyLinks: env.keyLinks,
      });
    });

    const r = as(alice, ["get", "DB_URL"]);
    expect(r.code).toBe(EXIT.REPLACED);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("cannot link to the one it verified before");
    expect(as(carol, ["run", "--", "true"]).code).toBe(EXIT.REPLACED);

    // Accepting it is a deliberate act.
    expect(as(alice, ["trust"]).code).toBe(0);
    expect(as(alice, ["get", "DB_URL"]).stdout).toBe("postgres://attacker\n");
  });
});
