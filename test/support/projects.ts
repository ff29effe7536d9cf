/**
 * A team's project folder holding its vault: with git, a repository its owner set up
 * (`vault git setup`) and committed, and clones of it on other machines.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { serializeVault } from "../../src/format/index.js";
import { workspace } from "./cli.js";
import { git } from "./git.js";
import { as, newMachine, type Person } from "./people.js";
import type { Team } from "./team-vaults.js";

export interface Repo {
  dir: string;
  file: string;
}

export const commit = (p: Person, repo: Repo, message: string) => {
  git(p, repo.dir, ["add", "-A"]);
  git(p, repo.dir, ["commit", "-qm", message]);
};

/** A project folder holding the team's vault; with `git`, a repository set up by `owner` (`vault git setup`) and committed. */
export function project(owner: Person, team: Team, options: { git?: boolean; diffValues?: boolean } = {}): Repo {
  const dir = workspace().dir;
  const repo = { dir, file: path.join(dir, "secrets.vault") };
  writeFileSync(repo.file, serializeVault(team.doc));
  if (options.git) {
    git(owner, dir, ["init", "-q", "-b", "main"]);
    const setup = as(owner, dir, ["git", "setup", ...(options.diffValues ? ["--diff-values"] : [])]);
    expect(setup.code).toBe(0);
    commit(owner, repo, "vault");
  }
  return repo;
}

/** A fresh clone on another machine: a new HOME, a new folder, `git clone`. */
export function freshClone(p: Person, repo: Repo): { who: Person; repo: Repo } {
  const who = newMachine(p);
  const dir = path.join(who.w.dir, "app");
  git(who, who.w.dir, ["clone", "-q", repo.dir, dir]);
  return { who, repo: { dir, file: path.join(dir, "secrets.vault") } };
}
