/**
 * What a clone learns from the vault's git history before it trusts the file, attacked by
 * a writer without a key who can add any commit: forgeries that history contradicts are
 * refused, forgeries that were undone lock nobody out, a `git mv` does not give a vault a
 * fresh start, and a contest that a rewrite of the branch took away no longer stands.
 */
import path from "node:path";
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { deriveKeys, loadSodium, newDataKey } from "../../src/crypto/index.js";
import { serializeVault } from "../../src/format/index.js";
import { cleanupAll } from "../support/cli.js";
import { buildVault, commit, DEV, EVIL, EVIL_MARKS, expectRefused, forgedEnvironment, freshClone, git, person, probe, project, readDoc, type Person, type Repo } from "../support/attack-kit.js";

afterAll(cleanupAll);

let alice: Person;
let bob: Person;
let eve: Person;

beforeAll(async () => {
  await loadSodium();
  [alice, bob, eve] = ["alice", "bob", "eve"].map(person) as [Person, Person, Person];
});

/** Eve's development environment: her own key, sealed to the members, at a generation of her choice. */
function forgeDevelopment(file: string, generation = 7): string {
  const doc = readDoc(file);
  const keys = deriveKeys(newDataKey());
  doc.environments.development = forgedEnvironment(keys, doc.id, "development", true, [alice, bob], { ...DEV, ...EVIL }, { generation });
  const text = serializeVault(doc);
  writeFileSync(file, text);
  return text;
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
