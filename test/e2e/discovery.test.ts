import { copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { cleanupAll, type Workspace } from "../support/cli.js";
import { makeFixture, type Fixture } from "../support/fixture.js";
import { gitOk } from "../support/git.js";

let fx: Fixture;
beforeAll(() => {
  fx = makeFixture();
});
afterAll(cleanupAll);

/** A fresh workspace whose vault holds WHERE=found. */
function withSecret(): Workspace {
  const w = fx.fresh();
  expect(w.vault(["set", "WHERE", "found"]).code).toBe(0);
  return w;
}

function folder(...parts: string[]): string {
  const dir = path.join(...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe("finding secrets.vault by walking up", () => {
  it("finds the vault at the repository root from a subfolder", () => {
    const w = withSecret();
    gitOk(w, ["init", "-q"]);
    const r = w.vault(["get", "WHERE"], { cwd: folder(w.dir, "src", "deep") });
    expect(r.stderr).toBe("");
    expect(r.stdout).toBe("found\n");
  });

  it("finds a vault kept in the home folder itself", () => {
    const w = fx.fresh();
    copyFileSync(path.join(w.dir, "secrets.vault"), path.join(w.home, "secrets.vault"));
    expect(w.vault(["ls"], { cwd: folder(w.home, "app") }).code).toBe(0);
  });

  it("does not use a vault above the repository root", () => {
    const w = withSecret();
    const inner = folder(w.dir, "repo", "sub");
    // Without a repository in between, the vault above is the nearest one.
    expect(w.vault(["get", "WHERE"], { cwd: inner }).stdout).toBe("found\n");
    gitOk(w, ["init", "-q", path.join(w.dir, "repo")]);
    const r = w.vault(["get", "WHERE"], { cwd: inner });
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`no secrets.vault in ${inner} or above it up to the repository root ${path.join(w.dir, "repo")}`);
  });

  it("stops at a .git file too (a worktree or submodule)", () => {
    const w = withSecret();
    const inner = folder(w.dir, "checkout");
    copyFileSync(path.join(w.dir, "secrets.vault"), path.join(w.dir, ".git"));
    expect(w.vault(["get", "WHERE"], { cwd: inner }).code).toBe(0);
    copyFileSync(path.join(w.dir, "secrets.vault"), path.join(inner, ".git"));
    expect(w.vault(["get", "WHERE"], { cwd: inner }).code).toBe(EXIT.NOT_FOUND);
  });

  it("does not use a vault above the home folder", () => {
    const w = withSecret();
    const home = folder(w.dir, "me");
    const app = folder(home, "app");
    // With HOME elsewhere, the vault above is the nearest one.
    expect(w.vault(["get", "WHERE"], { cwd: app }).stdout).toBe("found\n");
    const r = w.vault(["get", "WHERE"], { cwd: app, env: { HOME: home } });
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toContain(`no secrets.vault in ${app} or above it up to your home folder ${home}`);
  });
});
