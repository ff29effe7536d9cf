/**
 * What a clone learns from the vault's git history before it trusts the file, attacked by
 * a writer without a key who can add any commit: forgeries that history contradicts are
 * refused, forgeries that were undone lock nobody out, a `git mv` does not give a vault a
 * fresh start, and a contest that a rewrite of the branch took away no longer stands.
 */
import path from "node:path";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { deriveKeys, loadSodium, newDataKey } from "../../src/crypto/index.js";
import { parseVault as parseVaultText, serializeVault } from "../../src/format/index.js";
import { expectRefused } from "../support/expectations.js";
import { useWorkspaces } from "../support/fixture.js";
import { git } from "../support/git.js";
import { as, person, probe, type Person } from "../support/people.js";
import { commit, freshClone, project, type Repo } from "../support/projects.js";
import { rewriteDoc } from "../support/tamper.js";
import { buildVault, DEV, EVIL, EVIL_MARKS, forgedEnvironment } from "../support/team-vaults.js";

useWorkspaces();

let alice: Person;
let bob: Person;
let eve: Person;

beforeAll(async () => {
  await loadSodium();
  [alice, bob, eve] = ["alice", "bob", "eve"].map(person) as [Person, Person, Person];
});

/** Eve's development environment: her own key, sealed to the members, at a generation of her choice. */
function forgeDevelopment(file: string, generation = 7): string {
  return rewriteDoc(file, (doc) => {
    const keys = deriveKeys(newDataKey());
    doc.environments.development = forgedEnvironment(keys, doc.id, "development", true, [alice, bob], { ...DEV, ...EVIL }, { generation });
  });
}

function teamRepo(): Repo {
  return project(alice, buildVault({ development: { members: [alice, bob], values: DEV } }), { git: true });
}

const head = (p: Person, dir: string) => git(p, dir, ["rev-parse", "HEAD"]).trim();

describe("a forgery that history contradicts", () => {
  it("is refused by a fresh clone while the file holds it, and locks nobody out once a later commit undoes it", () => {
    const repo = teamRepo();
    const genuine = git(alice, repo.dir, ["show", "HEAD:secrets.vault"]);
    forgeDevelopment(repo.file);
    commit(eve, repo, "update");
    const forged = freshClone(bob, repo);
    const refused = probe(forged.who, forged.repo.dir, "X");
    expectRefused(refused, EXIT.REPLACED, EVIL_MARKS);
    expect(refused.stderr).toContain("cannot link to the one it verified before");

    // The next commit restores the file: zero net change, and the diff of the pull request shows nothing.
    writeFileSync(repo.file, genuine);
    commit(eve, repo, "revert");
    for (let i = 0; i < 2; i++) {
      const clone = freshClone(bob, repo);
      const r = probe(clone.who, clone.repo.dir, "X");
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `${DEV.X}\n` });
    }
    // The clone that saw the forgery pulls the undo and reads again, without `vault trust`.
    git(forged.who, forged.repo.dir, ["pull", "-q", "--ff-only"]);
    expect(probe(forged.who, forged.repo.dir, "X").stdout).toBe(`${DEV.X}\n`);
  });

  it("on a branch merged with -s ours (the forgery never reached the file) locks nobody out", () => {
    const repo = teamRepo();
    git(eve, repo.dir, ["checkout", "-q", "-b", "evil"]);
    forgeDevelopment(repo.file, 1_000);
    commit(eve, repo, "update");
    git(eve, repo.dir, ["checkout", "-q", "main"]);
    git(eve, repo.dir, ["merge", "-q", "-s", "ours", "evil", "-m", "merge"]);
    git(eve, repo.dir, ["branch", "-q", "-D", "evil"]);

    const clone = freshClone(bob, repo);
    const r = probe(clone.who, clone.repo.dir, "X");
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 0, stdout: `${DEV.X}\n` });
  });
});

describe("an orphan branch merged in", () => {
  it("is contested on a fresh clone (git cannot order unrelated roots), and forgotten there once a force-push removes it", () => {
    const repo = teamRepo();
    const before = head(alice, repo.dir);
    git(eve, repo.dir, ["checkout", "-q", "--orphan", "evil"]);
    forgeDevelopment(repo.file);
    commit(eve, repo, "init");
    const orphan = head(eve, repo.dir);
    git(eve, repo.dir, ["checkout", "-q", "-f", "main"]);
    git(eve, repo.dir, ["merge", "-q", "--allow-unrelated-histories", "-s", "ours", "evil", "-m", "merge"]);
    git(eve, repo.dir, ["branch", "-q", "-D", "evil"]);

    const clone = freshClone(bob, repo);
    const r = probe(clone.who, clone.repo.dir, "X");
    expectRefused(r, EXIT.REPLACED, EVIL_MARKS);
    expect(r.stderr).toContain("unrelated histories");
    expect(r.stderr).toContain(orphan.slice(0, 10));

    // The team rewrites main to before the merge; the clone follows the force-push.
    git(alice, repo.dir, ["reset", "-q", "--hard", before]);
    git(clone.who, clone.repo.dir, ["fetch", "-q"]);
    git(clone.who, clone.repo.dir, ["reset", "-q", "--hard", "origin/main"]);
    const after = probe(clone.who, clone.repo.dir, "X");
    expect({ code: after.code, stdout: after.stdout }).toEqual({ code: 0, stdout: `${DEV.X}\n` });
  });
});

describe("a squatter", () => {
  it("who committed an environment before the team created it never gets a member's program to take it", () => {
    const repo = teamRepo();
    const genuine = git(alice, repo.dir, ["show", "HEAD:secrets.vault"]);
    const bobs = freshClone(bob, repo);
    expect(probe(bobs.who, bobs.repo.dir, "X").stdout).toBe(`${DEV.X}\n`);

    // Eve commits a staging of her own, sealed to the members, and drops it in the next commit.
    const squat = rewriteDoc(repo.file, (doc) => {
      const evilKeys = deriveKeys(newDataKey());
      doc.environments.staging = forgedEnvironment(evilKeys, doc.id, "staging", false, [alice, bob], { ...DEV, ...EVIL });
    });
    commit(eve, repo, "staging");
    writeFileSync(repo.file, genuine);
    commit(eve, repo, "oops");
    git(bobs.who, bobs.repo.dir, ["pull", "-q", "--ff-only"]);
    expect(probe(bobs.who, bobs.repo.dir, "X").stdout).toBe(`${DEV.X}\n`);

    // Later the team creates staging for real.
    rewriteDoc(repo.file, (team) => {
      const stagingKeys = deriveKeys(newDataKey());
      team.environments.staging = forgedEnvironment(stagingKeys, team.id, "staging", false, [alice, bob], { X: "the-real-staging-x" });
    });
    commit(alice, repo, "add staging");
    git(bobs.who, bobs.repo.dir, ["pull", "-q", "--ff-only"]);
    // History cannot tell which creation is genuine: refused (a person decides, with vault trust), never the squatter's.
    const refused = probe(bobs.who, bobs.repo.dir, "X", ["--env", "staging"]);
    expectRefused(refused, EXIT.REPLACED, EVIL_MARKS);
    expect(refused.stderr).toContain("staging created again after it was gone");

    // Eve puts her staging back: nobody's program receives it.
    rewriteDoc(repo.file, (back) => {
      back.environments.staging = parseVaultText(squat).environments.staging!;
    });
    commit(eve, repo, "fix staging");
    git(bobs.who, bobs.repo.dir, ["pull", "-q", "--ff-only"]);
    expectRefused(probe(bobs.who, bobs.repo.dir, "X", ["--env", "staging"]), EXIT.REPLACED, EVIL_MARKS);
    const clone = freshClone(bob, repo);
    expectRefused(probe(clone.who, clone.repo.dir, "X", ["--env", "staging"]), EXIT.REPLACED, EVIL_MARKS);
    expect(probe(clone.who, clone.repo.dir, "X").stdout).toBe(`${DEV.X}\n`);
  });
});

describe("a contest planted and made to vanish", () => {
  it("never makes a machine forget a key it learned from history, so a rewritten history is still refused", () => {
    const team = buildVault({ development: { members: [alice, bob], values: DEV }, production: { members: [alice], values: { X: "the-real-prod-x" } } });
    const repo = project(alice, team, { git: true });
    const genuineRoot = head(alice, repo.dir);
    // Bob's machine opens development; production it only learns from history (he holds no key of it).
    const bobs = freshClone(bob, repo);
    expect(probe(bobs.who, bobs.repo.dir, "X").stdout).toBe(`${DEV.X}\n`);

    // Eve plants a contest on an environment the file does not even hold: a `qa` committed and dropped on
    // main, and another `qa` on an orphan branch merged with -s ours. The file at HEAD is unchanged.
    const before = readFileSync(repo.file, "utf8");
    rewriteDoc(repo.file, (onMain) => {
      onMain.environments.qa = forgedEnvironment(deriveKeys(newDataKey()), onMain.id, "qa", false, [bob], { Q: "q" });
    });
    commit(eve, repo, "qa");
    writeFileSync(repo.file, before);
    commit(eve, repo, "no qa");
    git(eve, repo.dir, ["checkout", "-q", "--orphan", "plant"]);
    rewriteDoc(repo.file, (planted) => {
      planted.environments.qa = forgedEnvironment(deriveKeys(newDataKey()), planted.id, "qa", false, [bob], { Q: "q" });
    });
    commit(eve, repo, "qa");
    git(eve, repo.dir, ["checkout", "-q", "-f", "main"]);
    git(eve, repo.dir, ["merge", "-q", "--allow-unrelated-histories", "-s", "ours", "plant", "-m", "merge"]);
    git(bobs.who, bobs.repo.dir, ["pull", "-q", "--ff-only"]);
    expect(probe(bobs.who, bobs.repo.dir, "X").stdout).toBe(`${DEV.X}\n`);
    const known = JSON.parse(readFileSync(path.join(bobs.who.w.home, ".config", "sealenv", "known-vaults.json"), "utf8")) as { keys: Record<string, { contested?: unknown; learned?: boolean }> };
    const entry = (env: string) => Object.entries(known.keys).find(([name]) => name.endsWith(`#${env}`))?.[1];
    expect(entry("qa")?.contested).toBeDefined();
    expect(entry("production")?.learned).toBe(true);

    // Then she force-pushes a history of her own: the contest is gone, and production is hers, sealed to bob.
    git(eve, repo.dir, ["checkout", "-q", "--orphan", "rewritten"]);
    const rewritten = buildVault({ development: { members: [alice, bob], values: DEV }, production: { members: [alice, bob], values: { ...EVIL } } }, "development", team.doc.id);
    rewritten.doc.environments.development = team.doc.environments.development!;
    writeFileSync(repo.file, serializeVault(rewritten.doc));
    commit(eve, repo, "init");
    git(eve, repo.dir, ["branch", "-q", "-f", "main", "rewritten"]);
    git(eve, repo.dir, ["checkout", "-q", "-f", "main"]);
    expect(head(eve, repo.dir)).not.toBe(genuineRoot);
    git(bobs.who, bobs.repo.dir, ["fetch", "-q"]);
    git(bobs.who, bobs.repo.dir, ["reset", "-q", "--hard", "origin/main"]);
    expectRefused(probe(bobs.who, bobs.repo.dir, "X", ["--env", "production"]), EXIT.REPLACED, EVIL_MARKS);
    expect(probe(bobs.who, bobs.repo.dir, "X").stdout).toBe(`${DEV.X}\n`);
  });
});

describe("someone's branch, checked out and left", () => {
  it("refuses their forged environment there, and on the way back its own older history is its past, not a rival", () => {
    const repo = teamRepo();
    const start = head(alice, repo.dir);
    // The team adds production later, then rotates it.
    rewriteDoc(repo.file, (doc) => {
      const prodKeys = deriveKeys(newDataKey());
      doc.environments.production = forgedEnvironment(prodKeys, doc.id, "production", false, [alice, bob], { X: "the-real-prod-x" });
    });
    commit(alice, repo, "production");
    expect(as(alice, repo.dir, ["rotate", "--env", "production"]).code).toBe(0);
    commit(alice, repo, "rotate production");
    // Bob's machine learns production from history only: he opens development.
    const bobs = freshClone(bob, repo);
    expect(probe(bobs.who, bobs.repo.dir, "X").stdout).toBe(`${DEV.X}\n`);

    // Eve's branch starts before production existed and brings her own, sealed to bob.
    git(eve, repo.dir, ["checkout", "-q", "-b", "pr", start]);
    rewriteDoc(repo.file, (hers) => {
      hers.environments.production = forgedEnvironment(deriveKeys(newDataKey()), hers.id, "production", false, [alice, bob], { ...EVIL });
    });
    commit(eve, repo, "add production");
    git(eve, repo.dir, ["checkout", "-q", "main"]);

    git(bobs.who, bobs.repo.dir, ["fetch", "-q", "origin", "pr:pr"]);
    git(bobs.who, bobs.repo.dir, ["checkout", "-q", "pr"]);
    expectRefused(probe(bobs.who, bobs.repo.dir, "X", ["--env", "production"]), EXIT.REPLACED, EVIL_MARKS);
    git(bobs.who, bobs.repo.dir, ["checkout", "-q", "main"]);
    const back = probe(bobs.who, bobs.repo.dir, "X", ["--env", "production"]);
    expect({ code: back.code, stdout: back.stdout, stderr: back.stderr }).toEqual({ code: 0, stdout: "the-real-prod-x\n", stderr: "" });
  });
});

describe("a vault moved with git mv", () => {
  it("keeps its history: re-keyed in the commit that moved it, or deleted and added elsewhere, a fresh clone at the new path refuses it; a genuine move reads as before, on fresh clones and where the old place was known", () => {
    const repo = teamRepo();
    // Bob works in the repository itself: his machine knows the vault at its first place.
    expect(probe(bob, repo.dir, "X").stdout).toBe(`${DEV.X}\n`);
    const pkg = path.join(repo.dir, "packages", "api");
    mkdirSync(pkg, { recursive: true });
    git(alice, repo.dir, ["mv", "secrets.vault", "packages/api/secrets.vault"]);
    git(alice, repo.dir, ["commit", "-qm", "move the vault into the api package"]);
    const genuine = freshClone(bob, repo);
    const read = probe(genuine.who, path.join(genuine.repo.dir, "packages", "api"), "X");
    expect({ code: read.code, stdout: read.stdout }).toEqual({ code: 0, stdout: `${DEV.X}\n` });
    const moved = probe(bob, pkg, "X");
    expect({ code: moved.code, stdout: moved.stdout }).toEqual({ code: 0, stdout: `${DEV.X}\n` });

    // Eve moves it on and rewrites it under her own key in the same commit: to git, a deletion and a new file.
    const web = path.join(repo.dir, "packages", "web");
    mkdirSync(web, { recursive: true });
    git(eve, repo.dir, ["mv", "packages/api/secrets.vault", "packages/web/secrets.vault"]);
    forgeDevelopment(path.join(web, "secrets.vault"));
    commit(eve, repo, "move the vault into the web package");
    expect(git(eve, repo.dir, ["log", "--follow", "--format=%H", "--", "packages/web/secrets.vault"]).trim().split("\n")).toHaveLength(1);

    expectRefused(probe(bob, web, "X"), EXIT.REPLACED, EVIL_MARKS);
    const clone = freshClone(bob, repo);
    const r = probe(clone.who, path.join(clone.repo.dir, "packages", "web"), "X");
    expectRefused(r, EXIT.REPLACED, EVIL_MARKS);
    expect(r.stderr).toContain("cannot link to the one it verified before");

    // Or over two commits: the vault deleted, then a copy carrying its id added elsewhere, under her key.
    const text = git(eve, repo.dir, ["show", "HEAD:packages/web/secrets.vault"]);
    git(eve, repo.dir, ["rm", "-q", "packages/web/secrets.vault"]);
    git(eve, repo.dir, ["commit", "-qm", "drop the vault"]);
    mkdirSync(path.join(repo.dir, "services"), { recursive: true });
    writeFileSync(path.join(repo.dir, "services", "secrets.vault"), text);
    commit(eve, repo, "services");
    const later = freshClone(bob, repo);
    expectRefused(probe(later.who, path.join(later.repo.dir, "services"), "X"), EXIT.REPLACED, EVIL_MARKS);
  });
});
