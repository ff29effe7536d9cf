/**
 * sealenv starts git to read a vault's history (on a first open), to set up its drivers and
 * for doctor and scan. Anyone who can commit to the repository must not be able to choose
 * which git runs, or the config git obeys: either would run their code with the keys
 * sealenv was started with in reach.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { gitOk } from "../support/git.js";

const fx = useFixture();

/** A repository whose vault, holding A=alpha, sits in `sub`, committed. */
function repositoryWithVaultIn(sub: string): { w: Workspace; folder: string } {
  const w = fx.fresh();
  const folder = path.join(w.dir, sub);
  mkdirSync(folder, { recursive: true });
  renameSync(w.vaultFile, path.join(folder, "secrets.vault"));
  expect(w.vault(["set", "A", "alpha"], { cwd: folder }).code).toBe(0);
  gitOk(w, ["init", "-q", "-b", "main"]);
  gitOk(w, ["add", "-A"]);
  gitOk(w, ["commit", "-qm", "vault"]);
  return { w, folder };
}

/** A program that records that it ran, in `marker`. */
function tripwire(file: string, marker: string): void {
  writeFileSync(file, `#!/bin/sh\necho ran >> '${marker}'\nexit 1\n`);
  chmodSync(file, 0o755);
}

/**
 * The files of a bare repository, put in `folder` as a commit would put them: a history of
 * one signed commit of the vault, and a config that makes git run `program` to check the
 * signature whenever it shows that commit.
 */
function plantBareRepository(folder: string, program: string): void {
  const scratch = mkdtempSync(path.join(tmpdir(), "sealenv-planted-"));
  const at = (args: string[], input?: string) => spawnSync("git", ["-C", scratch, ...args], { input, encoding: "utf8" }).stdout.trim();
  at(["init", "-q", "--bare"]);
  const blob = at(["hash-object", "-w", "--stdin"], readFileSync(path.join(folder, "secrets.vault"), "utf8"));
  const tree = at(["mktree"], `100644 blob ${blob}\tsecrets.vault\n`);
  const signed = `tree ${tree}\nauthor A <a@example.com> 0 +0000\ncommitter A <a@example.com> 0 +0000\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n -----END PGP SIGNATURE-----\n\nplanted\n`;
  at(["update-ref", "refs/heads/main", at(["hash-object", "-t", "commit", "-w", "--stdin"], signed)]);
  at(["symbolic-ref", "HEAD", "refs/heads/main"]);
  for (const part of ["HEAD", "objects", "refs"]) cpSync(path.join(scratch, part), path.join(folder, part), { recursive: true });
  writeFileSync(path.join(folder, "config"), `[core]\n\trepositoryformatversion = 0\n\tbare = false\n\tworktree = .\n[log]\n\tshowSignature = true\n[gpg]\n\tprogram = ${program}\n`);
}

describe("git, as sealenv starts it", () => {
  it("never takes a committed folder that looks like a bare repository for the repository, or obeys its config", () => {
    const { w, folder } = repositoryWithVaultIn("services/api");
    const marker = path.join(w.home, "ran");
    tripwire(path.join(w.dir, "pwn.sh"), marker);
    plantBareRepository(folder, path.join(w.dir, "pwn.sh"));
    gitOk(w, ["add", "-A"]);
    gitOk(w, ["commit", "-qm", "innocent-looking files"]);

    // A first open on another machine reads the vault's history, and doctor and scan ask git more.
    const elsewhere = { HOME: mkdtempSync(path.join(w.home, "machine-")) };
    const got = w.vault(["get", "A"], { cwd: folder, env: elsewhere });
    expect([got.code, got.stdout]).toEqual([0, "alpha\n"]);
    w.vault(["doctor"], { cwd: folder, env: elsewhere });
    w.vault(["scan"], { cwd: folder, env: elsewhere });
    expect(existsSync(marker)).toBe(false);

    // The planted files do what they were made for when git is left to find its repository.
    spawnSync("git", ["log", "-1"], { cwd: folder, env: { ...w.env } });
    expect(readFileSync(marker, "utf8")).toBe("ran\n");
  });

  it("is never a git from the main work tree around a nested worktree", () => {
    const { w, folder } = repositoryWithVaultIn("app");
    gitOk(w, ["branch", "feature"]);
    const marker = path.join(w.home, "ran");
    const bin = path.join(w.dir, "node_modules", ".bin");
    mkdirSync(bin, { recursive: true });
    tripwire(path.join(bin, "git"), marker);
    gitOk(w, ["add", "-f", "node_modules"]);
    gitOk(w, ["commit", "-qm", "plant"]);
    gitOk(w, ["worktree", "add", "-q", ".worktrees/feature", "feature"]);
    const inFeature = path.join(w.dir, ".worktrees", "feature", path.relative(w.dir, folder));
    const env = { PATH: `${bin}:${w.env.PATH}`, HOME: mkdtempSync(path.join(w.home, "machine-")) };
    const got = w.vault(["get", "A"], { cwd: inFeature, env });
    expect([got.code, got.stdout]).toEqual([0, "alpha\n"]);
    expect(existsSync(marker)).toBe(false);
  });

  it("is never a git from an empty or relative PATH entry or from a folder inside the repository", () => {
    const { w, folder } = repositoryWithVaultIn("app");
    const marker = path.join(w.home, "ran");
    const bin = path.join(w.dir, "node_modules", ".bin");
    mkdirSync(bin, { recursive: true });
    tripwire(path.join(bin, "git"), marker);
    tripwire(path.join(folder, "git"), marker);
    const dotted = path.join(w.dir, "..bin");
    mkdirSync(dotted);
    tripwire(path.join(dotted, "git"), marker);

    // A folder that reaches into the repository through a symlink (~/code -> /data/code).
    const link = path.join(w.home, "code");
    symlinkSync(w.dir, link);
    for (const PATH of [`${bin}:${w.env.PATH}`, `:${w.env.PATH}`, `.:${w.env.PATH}`, `../node_modules/.bin:${w.env.PATH}`, `${path.join(link, "node_modules", ".bin")}:${w.env.PATH}`, `${dotted}:${w.env.PATH}`]) {
      // Each a first open, which reads the history with git.
      const env = { PATH, HOME: mkdtempSync(path.join(w.home, "machine-")) };
      const got = w.vault(["get", "A"], { cwd: folder, env });
      expect({ PATH, code: got.code, stdout: got.stdout }).toEqual({ PATH, code: 0, stdout: "alpha\n" });
      expect(spawnSync("sh", ["-c", "command -v git"], { cwd: folder, env: { PATH }, encoding: "utf8" }).stdout).not.toMatch(/^\/usr\//);
    }
    expect(existsSync(marker)).toBe(false);
  });
});
