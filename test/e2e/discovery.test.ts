import { chmodSync, chownSync, copyFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import type { Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { gitOk } from "../support/git.js";

const fx = useFixture();

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

const asRoot = process.getuid?.() === 0;
const NOBODY = 65534;

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

describe("a vault another user could have planted", () => {
  it("is refused when its folder is writable by every user, and nothing changes", () => {
    const w = withSecret();
    chmodSync(w.dir, 0o777);
    const before = w.snapshot();
    const r = w.vault(["set", "WHERE", "changed"]);
    expect(r.code).toBe(EXIT.UNSAFE_VAULT);
    expect(r.stdout).toBe("");
    const file = path.join(w.dir, "secrets.vault");
    expect(r.stderr).toBe(
      `vault: error: refusing to use ${file}: its folder ${w.dir} is writable by every user\n` +
        "vault: hint: if you trust it, pass `--vault FILE` or set VAULT_FILE to use it deliberately; otherwise fix its owner or permissions (chmod go-w)\n",
    );
    expect(w.snapshot()).toEqual(before);
    expect(w.vault(["run", "--", "true"]).code).toBe(EXIT.UNSAFE_VAULT);
  });

  it("is refused when a folder between it and the working directory is writable by every user", () => {
    const w = withSecret();
    const open = folder(w.dir, "open");
    const inner = folder(open, "inner");
    chmodSync(open, 0o777);
    const r = w.vault(["get", "WHERE"], { cwd: inner });
    expect(r.code).toBe(EXIT.UNSAFE_VAULT);
    expect(r.stderr).toContain(`its folder ${open} is writable by every user`);
  });

  it("is refused when the file itself is writable by every user", () => {
    const w = withSecret();
    chmodSync(path.join(w.dir, "secrets.vault"), 0o666);
    const r = w.vault(["get", "WHERE"]);
    expect(r.code).toBe(EXIT.UNSAFE_VAULT);
    expect(r.stderr).toContain(": it is writable by every user");
  });

  it("is used when the open folder has the sticky bit, like /tmp", () => {
    const w = withSecret();
    chmodSync(w.dir, 0o1777);
    expect(w.vault(["get", "WHERE"]).stdout).toBe("found\n");
  });

  it("is used deliberately with --vault or VAULT_FILE", () => {
    const w = withSecret();
    chmodSync(w.dir, 0o777);
    const file = path.join(w.dir, "secrets.vault");
    expect(w.vault(["get", "WHERE", "--vault", "secrets.vault"]).stdout).toBe("found\n");
    expect(w.vault(["get", "WHERE"], { env: { VAULT_FILE: file } }).stdout).toBe("found\n");
    expect(w.vault(["run", "--vault", file, "--", "sh", "-c", 'printf %s "$WHERE"']).stdout).toBe("found");
  });

  it.runIf(asRoot)("is refused when the file belongs to another user, unless named", () => {
    const w = withSecret();
    const file = path.join(w.dir, "secrets.vault");
    chownSync(file, NOBODY, NOBODY);
    const r = w.vault(["get", "WHERE"]);
    expect(r.code).toBe(EXIT.UNSAFE_VAULT);
    expect(r.stderr).toContain(`vault: error: refusing to use ${file}: it is owned by another user (uid ${NOBODY})\n`);
    expect(w.vault(["get", "WHERE", "--vault", file]).stdout).toBe("found\n");
    expect(w.vault(["get", "WHERE"], { env: { VAULT_FILE: file } }).stdout).toBe("found\n");
  });

  it.runIf(asRoot)("is refused when its folder belongs to another user", () => {
    const w = withSecret();
    chownSync(w.dir, NOBODY, NOBODY);
    const r = w.vault(["get", "WHERE"], { cwd: folder(w.dir, "sub") });
    expect(r.code).toBe(EXIT.UNSAFE_VAULT);
    expect(r.stderr).toContain(`its folder ${w.dir} is owned by another user (uid ${NOBODY})`);
  });

  it.runIf(asRoot)("is refused when its folder is writable by a group shared with others, but not by one's private group", () => {
    const w = withSecret();
    chmodSync(w.dir, 0o775);
    chownSync(w.dir, 0, NOBODY);
    const r = w.vault(["get", "WHERE"]);
    expect(r.code).toBe(EXIT.UNSAFE_VAULT);
    expect(r.stderr).toContain(`its folder ${w.dir} is writable by group ${NOBODY}`);
    // umask 002 under user private groups (Fedora, Debian): root's group 0 is root's alone.
    chownSync(w.dir, 0, 0);
    expect(w.vault(["get", "WHERE"]).stdout).toBe("found\n");
  });
});
