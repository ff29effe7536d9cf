import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { BIN, PASSPHRASE, workspace, type Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { gitIn, gitOk, gitSpy } from "../support/git.js";
import { dropSecret } from "../support/tamper.js";

const fx = useFixture();

/** A repository holding the fixture vault with A..E set, set up for sealenv, committed on main. */
function repo(): Workspace {
  const w = fx.fresh();
  gitOk(w, ["init", "-q", "-b", "main"]);
  w.vault(["import", "-"], { input: "A=alpha-value\nB=bravo-value\nC=charlie-value\nD=delta-value\nE=echo-value\n" });
  expect(w.vault(["git", "setup"]).code).toBe(0);
  gitOk(w, ["add", "-A"]);
  gitOk(w, ["commit", "-qm", "base"]);
  return w;
}

/** From the same commit: `feature`'s changes committed on a branch of that name, `main`'s on main, which stays checked out. */
function diverge(w: Workspace, feature: () => void, main: () => void): void {
  gitOk(w, ["checkout", "-qb", "feature"]);
  feature();
  gitOk(w, ["commit", "-qam", "feature"]);
  gitOk(w, ["checkout", "-q", "main"]);
  main();
  gitOk(w, ["commit", "-qam", "main"]);
}

const sealed = (w: Workspace, env: string, name: string) => JSON.parse(w.file()).environments[env].secrets[name] as string | undefined;

describe("vault git setup", () => {
  it("configures attributes, drivers and ignore rules, and a second run changes nothing", () => {
    const w = fx.fresh();
    gitOk(w, ["init", "-q"]);
    const first = w.vault(["git", "setup"]);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain(".gitattributes");
    const attributes = readFileSync(path.join(w.dir, ".gitattributes"), "utf8");
    expect(attributes).toContain("/secrets.vault diff=sealenv merge=sealenv");
    const ignore = readFileSync(path.join(w.dir, ".gitignore"), "utf8");
    for (const line of [".env", ".env.*", "!.env.example"]) expect(ignore.split("\n")).toContain(line);
    expect(gitOk(w, ["config", "--get", "merge.sealenv.driver"])).toContain("git merge %O %A %B %P");
    expect(gitOk(w, ["check-ignore", ".env.local"]).trim()).toBe(".env.local");
    expect(gitIn(w, ["check-ignore", ".env.example"]).code).toBe(1);

    const before = w.snapshot();
    const config = readFileSync(path.join(w.dir, ".git", "config"), "utf8");
    const second = w.vault(["git", "setup"]);
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("nothing changed");
    expect(w.snapshot()).toEqual(before);
    expect(readFileSync(path.join(w.dir, ".git", "config"), "utf8")).toBe(config);
  });

  it("creates .gitignore and .gitattributes 0644 whatever the umask, and keeps the mode of existing ones", () => {
    const setupUnder = (w: Workspace, umask: string) =>
      spawnSync("sh", ["-c", `umask ${umask}; exec "$0" "$@"`, process.execPath, BIN, "git", "setup"], { cwd: w.dir, env: w.env, encoding: "utf8" });
    const modeOf = (w: Workspace, name: string) => (statSync(path.join(w.dir, name)).mode & 0o777).toString(8);

    const fresh = fx.fresh();
    gitOk(fresh, ["init", "-q"]);
    const r = setupUnder(fresh, "077");
    expect(r.status, r.stderr).toBe(0);
    expect(modeOf(fresh, ".gitignore")).toBe("644");
    expect(modeOf(fresh, ".gitattributes")).toBe("644");

    const existing = fx.fresh();
    gitOk(existing, ["init", "-q"]);
    writeFileSync(path.join(existing.dir, ".gitignore"), "node_modules\n", { mode: 0o640 });
    chmodSync(path.join(existing.dir, ".gitignore"), 0o640);
    expect(setupUnder(existing, "022").status).toBe(0);
    expect(readFileSync(path.join(existing.dir, ".gitignore"), "utf8")).toMatch(/^node_modules\n\n# sealenv/);
    expect(modeOf(existing, ".gitignore")).toBe("640");
    expect(modeOf(existing, ".gitattributes")).toBe("644");
  });

  it("vault init inside a repository points at it when it may not ask", () => {
    const w = workspace({ VAULT_PASSPHRASE: PASSPHRASE });
    gitOk(w, ["init", "-q"]);
    const r = w.vault(["init", "--passphrase"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("run `vault git setup`");
  });

  it("refuses outside a git repository", () => {
    const w = fx.fresh();
    const r = w.vault(["git", "setup"]);
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toContain("not inside a git work tree");
  });
});

describe("merging", () => {
  it("merges two branches that change, add and remove different secrets", () => {
    const w = repo();
    const untouched = sealed(w, "development", "E");
    diverge(
      w,
      () => {
        w.vault(["set", "A", "alpha-from-feature"]);
        w.vault(["set", "NEW_ON_FEATURE", "feature-added"]);
      },
      () => {
        w.vault(["set", "B", "bravo-from-main"]);
        w.vault(["rm", "C"]);
      },
    );

    const merge = gitIn(w, ["merge", "-q", "feature", "-m", "merge"]);
    expect(merge.code).toBe(0);
    expect(w.vault(["get", "A"]).stdout).toBe("alpha-from-feature\n");
    expect(w.vault(["get", "B"]).stdout).toBe("bravo-from-main\n");
    expect(w.vault(["get", "NEW_ON_FEATURE"]).stdout).toBe("feature-added\n");
    expect(w.vault(["get", "C"]).code).toBe(EXIT.NOT_FOUND);
    expect(w.vault(["ls"]).stdout).toBe("A\nB\nD\nE\nNEW_ON_FEATURE\n");
    expect(sealed(w, "development", "E")).toBe(untouched);
    expect(gitOk(w, ["status", "--porcelain"])).toBe("");
  });

  it("merges changes to different environments", () => {
    const w = repo();
    expect(w.vault(["env", "add", "staging", "--passphrase", "--same-passphrase"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(0);
    gitOk(w, ["commit", "-qam", "staging"]);
    const stagingKey = w.vault(["key", "export", "--env", "staging"], { env: { VAULT_KEY: undefined, VAULT_PASSPHRASE: PASSPHRASE } }).stdout.trim();
    const both = { VAULT_KEY_STAGING: stagingKey };
    diverge(
      w,
      () => {
        w.vault(["set", "S", "staging-value", "--env", "staging"], { env: both });
      },
      () => {
        w.vault(["set", "A", "alpha-main"]);
      },
    );
    expect(gitIn(w, ["merge", "-q", "feature", "-m", "merge"], both).code).toBe(0);
    expect(w.vault(["get", "S", "--env", "staging"], { env: both }).stdout).toBe("staging-value\n");
    expect(w.vault(["get", "A"]).stdout).toBe("alpha-main\n");
  });

  it("stops on the same secret changed on both sides, names it, and resolves with vault commands", () => {
    const w = repo();
    diverge(
      w,
      () => {
        w.vault(["set", "A", "alpha-theirs"]);
        w.vault(["set", "B", "bravo-theirs"]);
        w.vault(["set", "D", "delta-theirs"]);
      },
      () => {
        w.vault(["set", "A", "alpha-ours"]);
        w.vault(["set", "B", "bravo-ours"]);
        w.vault(["set", "D", "delta-ours"]);
        w.vault(["set", "E", "echo-ours"]);
      },
    );

    const merge = gitIn(w, ["merge", "feature", "-m", "merge"]);
    expect(merge.code).not.toBe(0);
    const said = merge.stdout + merge.stderr;
    expect(said).toContain("A in development (both sides changed it)");
    expect(said).toContain("B in development (both sides changed it)");
    // The vault stays readable during the conflict: our side, verified.
    expect(w.vault(["get", "A"]).stdout).toBe("alpha-ours\n");
    const open = w.vault(["git", "conflicts"]);
    expect(open.stdout).toBe("A in development (both sides changed it)\nB in development (both sides changed it)\nD in development (both sides changed it)\n");
    // Non-zero while any remain, so a script can ask whether the merge is settled.
    expect(open.code).toBe(EXIT.CONFLICT);
    expect(open.stderr).toContain("3 vault merge conflict(s) remain");

    expect(w.vault(["resolve", "A", "--theirs"]).code).toBe(0);
    expect(w.vault(["resolve", "B", "--ours"]).code).toBe(0);
    const last = w.vault(["set", "D", "delta-new"]);
    expect(last.stderr).toContain("all vault conflicts resolved");
    expect(w.vault(["get", "A"]).stdout).toBe("alpha-theirs\n");
    expect(w.vault(["get", "B"]).stdout).toBe("bravo-ours\n");
    expect(w.vault(["get", "D"]).stdout).toBe("delta-new\n");
    expect(w.vault(["get", "E"]).stdout).toBe("echo-ours\n");
    gitOk(w, ["add", "secrets.vault"]);
    gitOk(w, ["commit", "-qm", "merged"]);
    const settled = w.vault(["git", "conflicts"]);
    expect(settled.stderr).toContain("no unresolved");
    expect(settled.code).toBe(0);
  });

  it("says so when it lacks the key for an environment both sides changed", () => {
    const w = repo();
    diverge(
      w,
      () => {
        w.vault(["set", "A", "alpha-theirs"]);
      },
      () => {
        w.vault(["set", "B", "bravo-ours"]);
      },
    );
    const merge = gitIn(w, ["merge", "feature", "-m", "merge"], { VAULT_KEY: undefined });
    expect(merge.code).not.toBe(0);
    expect(merge.stdout + merge.stderr).toContain("development (both sides changed it and this machine has no key for it");
    expect(w.vault(["get", "B"]).stdout).toBe("bravo-ours\n");
  });
});

describe("git processes on the hot path", () => {
  /** A repository whose history this machine has learned (the first open at a place reads it, with git). */
  function learned(): Workspace {
    const w = repo();
    expect(w.vault(["get", "A"]).code).toBe(0);
    return w;
  }

  it("vault set and vault run start no git in a repository that is not mid-merge", () => {
    const w = learned();
    const spy = gitSpy(w);
    expect(w.vault(["set", "A", "alpha-changed"], { env: spy.env }).code).toBe(0);
    expect(w.vault(["run", "--", "true"], { env: spy.env }).code).toBe(0);
    expect(w.vault(["get", "A"], { env: spy.env }).stdout).toBe("alpha-changed\n");
    expect(spy.calls()).toEqual([]);
  });

  it("nor in a linked worktree (.git is a file there), nor outside any repository", () => {
    const w = learned();
    const linked = path.join(w.home, "linked");
    gitOk(w, ["worktree", "add", "-q", linked]);
    expect(w.vault(["get", "A"], { cwd: linked }).code).toBe(0);
    const outside = fx.fresh();
    const spies = [gitSpy(w), gitSpy(outside)] as const;
    expect(w.vault(["set", "B", "bravo-in-worktree"], { cwd: linked, env: spies[0].env }).code).toBe(0);
    expect(w.vault(["run", "--", "true"], { cwd: linked, env: spies[0].env }).code).toBe(0);
    expect(outside.vault(["set", "B", "bravo-outside"], { env: spies[1].env }).code).toBe(0);
    expect(outside.vault(["run", "--", "true"], { env: spies[1].env }).code).toBe(0);
    expect([...spies[0].calls(), ...spies[1].calls()]).toEqual([]);
  });

  it("the merge driver asks git nothing when the sides merge cleanly", () => {
    const w = repo();
    diverge(
      w,
      () => {
        w.vault(["set", "A", "alpha-from-feature"]);
      },
      () => {
        w.vault(["set", "B", "bravo-from-main"]);
      },
    );
    // This HEAD's history learned: what is left is the driver's own work.
    expect(w.vault(["get", "A"]).code).toBe(0);
    const spy = gitSpy(w);
    expect(gitIn(w, ["merge", "-q", "feature", "-m", "merge"], spy.env).code).toBe(0);
    expect(w.vault(["get", "A"]).stdout).toBe("alpha-from-feature\n");
    // Only the merge the test started: the driver it ran started none.
    expect(spy.calls()).toEqual(["git merge -q feature -m merge"]);
  });

  it("mid-merge, vault set still finds the unfinished merge and settles its conflict", () => {
    const w = repo();
    diverge(
      w,
      () => {
        w.vault(["set", "A", "alpha-theirs"]);
        w.vault(["set", "B", "bravo-theirs"]);
      },
      () => {
        w.vault(["set", "A", "alpha-ours"]);
        w.vault(["set", "B", "bravo-ours"]);
      },
    );
    expect(gitIn(w, ["merge", "feature", "-m", "merge"]).code).not.toBe(0);
    const spy = gitSpy(w);
    const set = w.vault(["set", "A", "alpha-settled"], { env: spy.env });
    expect(set.stderr).toContain("1 conflict(s) left");
    expect(w.vault(["git", "conflicts"]).stdout).toBe("B in development (both sides changed it)\n");
    // The state file is there: git, and only git, says whether it is this repository's.
    expect(spy.calls().length).toBeGreaterThan(0);
    expect(w.vault(["set", "B", "bravo-settled"]).stderr).toContain("all vault conflicts resolved");
  });
});

describe("git diff", () => {
  it("finds sealenv when git runs the driver: no absolute path of an install in the config, a clear line when it is gone", () => {
    const w = repo();
    const config = readFileSync(path.join(w.dir, ".git", "config"), "utf8");
    expect(config).not.toContain(process.execPath);
    expect(config).not.toContain(BIN);
    w.vault(["set", "A", "a-brand-new-value"]);
    // sealenv moved: another folder on PATH, or the project's node_modules/.bin.
    const moved = path.join(w.home, "elsewhere");
    mkdirSync(moved);
    writeFileSync(path.join(moved, "sealenv"), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`, { mode: 0o755 });
    const bare = "/usr/local/bin:/usr/bin:/bin";
    expect(gitOk(w, ["diff"], { PATH: `${moved}:${bare}` })).toMatch(/^\+A {2}fingerprint [0-9a-f]{8}$/m);
    mkdirSync(path.join(w.dir, "node_modules", ".bin"), { recursive: true });
    renameSync(path.join(moved, "sealenv"), path.join(w.dir, "node_modules", ".bin", "sealenv"));
    expect(gitOk(w, ["diff"], { PATH: bare })).toMatch(/^\+A {2}fingerprint [0-9a-f]{8}$/m);
    // Gone: git's diff fails with our one line.
    rmSync(path.join(w.dir, "node_modules"), { recursive: true });
    const gone = gitIn(w, ["diff"], { PATH: bare });
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toContain("sealenv: git needs the sealenv command for secrets.vault, and it is neither on PATH nor in node_modules/.bin");
  });

  it("never runs a sealenv committed to the repository, as node_modules/.bin/sealenv or anywhere on PATH inside it", () => {
    const w = repo();
    w.vault(["set", "A", "a-brand-new-value"]);
    const marker = path.join(w.home, "planted-ran");
    const planted = path.join(w.dir, "node_modules", ".bin", "sealenv");
    mkdirSync(path.dirname(planted), { recursive: true });
    writeFileSync(planted, `#!/bin/sh\necho ran >> '${marker}'\nexit 0\n`, { mode: 0o755 });
    gitOk(w, ["add", "-f", "node_modules/.bin/sealenv"]);
    const bare = "/usr/local/bin:/usr/bin:/bin";
    const refused = (PATH: string) => {
      const r = gitIn(w, ["diff"], { PATH });
      expect({ PATH, ran: r.code === 0, marker: existsSync(marker) }).toEqual({ PATH, ran: false, marker: false });
      expect(r.stderr).toContain("is inside this repository or one around it, which tracks it or node_modules");
    };
    for (const PATH of [bare, `${path.dirname(planted)}:${bare}`, `node_modules/.bin:${bare}`]) refused(PATH);
    // With node_modules untracked: the program reached through a committed symlink to its folder
    // (a `bin` on a direnv PATH), or a committed symlink named sealenv to a program of the attacker's choosing.
    gitOk(w, ["rm", "-q", "--cached", "node_modules/.bin/sealenv"]);
    mkdirSync(path.join(w.dir, "tools"));
    writeFileSync(path.join(w.dir, "tools", "sealenv"), readFileSync(planted), { mode: 0o755 });
    symlinkSync("tools", path.join(w.dir, "bin"));
    mkdirSync(path.join(w.dir, "scripts"));
    symlinkSync("/bin/sh", path.join(w.dir, "scripts", "sealenv"));
    gitOk(w, ["add", "tools", "bin", "scripts"]);
    for (const PATH of [`${path.join(w.dir, "bin")}:${bare}`, `bin:${bare}`, `${path.join(w.dir, "scripts")}:${bare}`]) refused(PATH);
    // Installed by npm (not tracked), node_modules/.bin/sealenv is the project's sealenv, as before.
    gitIn(w, ["diff"], { PATH: bare });
    expect(readFileSync(marker, "utf8")).toMatch(/^(ran\n)+$/);
  });

  it("never runs a sealenv from the main work tree around a nested worktree", () => {
    const w = repo();
    gitOk(w, ["branch", "feature"]);
    const marker = path.join(w.home, "planted-ran");
    const planted = path.join(w.dir, "node_modules", ".bin", "sealenv");
    mkdirSync(path.dirname(planted), { recursive: true });
    writeFileSync(planted, `#!/bin/sh\necho ran >> '${marker}'\nexit 0\n`, { mode: 0o755 });
    gitOk(w, ["add", "-f", "node_modules/.bin/sealenv"]);
    gitOk(w, ["commit", "-qm", "plant"]);
    gitOk(w, ["worktree", "add", "-q", ".worktrees/feature", "feature"]);
    const feature = path.join(w.dir, ".worktrees", "feature");
    expect(w.vault(["git", "setup"], { cwd: feature }).code).toBe(0);
    expect(w.vault(["set", "A", "changed-in-feature"], { cwd: feature }).code).toBe(0);
    // `npm run` in the worktree puts the node_modules/.bin of every folder above it on PATH.
    const r = spawnSync("git", ["diff"], { cwd: feature, env: { ...w.env, PATH: `${path.dirname(planted)}:/usr/local/bin:/usr/bin:/bin` }, encoding: "utf8" });
    expect({ ran: r.status === 0, marker: existsSync(marker) }).toEqual({ ran: false, marker: false });
    expect(r.stderr).toContain("is inside this repository or one around it");
  });

  it("shows which secrets changed, with fingerprints and never the values", () => {
    const w = repo();
    w.vault(["set", "A", "a-brand-new-value"]);
    w.vault(["set", "F", "foxtrot-value"]);
    w.vault(["rm", "C"]);
    const diff = gitOk(w, ["diff"]);
    expect(diff).toMatch(/^-A {2}fingerprint [0-9a-f]{8}$/m);
    expect(diff).toMatch(/^\+A {2}fingerprint [0-9a-f]{8}$/m);
    expect(diff).toMatch(/^\+F {2}fingerprint [0-9a-f]{8}$/m);
    expect(diff).toMatch(/^-C {2}fingerprint [0-9a-f]{8}$/m);
    expect(diff).not.toMatch(/^[-+]B /m);
    for (const value of ["a-brand-new-value", "alpha-value", "foxtrot-value", "charlie-value"]) expect(diff).not.toContain(value);
  });

  it("shows names without the key", () => {
    const w = repo();
    w.vault(["set", "A", "a-brand-new-value"]);
    const diff = gitOk(w, ["diff"], { VAULT_KEY: undefined });
    expect(diff).toMatch(/^\+A {2}sealed [0-9a-f]{8}$/m);
    expect(diff).toContain("no key here");
  });

  it("shows values to those with the key after --diff-values", () => {
    const w = repo();
    expect(w.vault(["git", "setup", "--diff-values"]).code).toBe(0);
    w.vault(["set", "A", "a-brand-new-value"]);
    const diff = gitOk(w, ["diff"]);
    expect(diff).toContain('+A = "a-brand-new-value"');
    expect(diff).toContain('-A = "alpha-value"');
  });
});

describe("git's textconv cache", () => {
  const CACHE = "refs/notes/textconv/sealenv";
  const cacheExists = (w: Workspace) => gitOk(w, ["for-each-ref", CACHE]).trim() !== "";
  /** Everything the cache holds: the text of every note. */
  const cached = (w: Workspace) =>
    gitOk(w, ["ls-tree", "-r", "--object-only", CACHE]).split("\n").filter(Boolean).map((id) => gitOk(w, ["cat-file", "blob", id])).join("");
  /** Two commits that change A, so `git log -p` runs the driver on several versions. */
  function history(): Workspace {
    const w = repo();
    w.vault(["set", "A", "a-second-value"]);
    gitOk(w, ["commit", "-qam", "second"]);
    return w;
  }

  it("is on for masked diffs, and holds names and fingerprints, never values", () => {
    const w = history();
    expect(gitOk(w, ["config", "--bool", "diff.sealenv.cachetextconv"])).toBe("true\n");
    expect(cacheExists(w)).toBe(false);
    const first = gitOk(w, ["log", "-p", "--", "secrets.vault"]);
    expect(cacheExists(w)).toBe(true);
    expect(gitOk(w, ["log", "-p", "--", "secrets.vault"])).toBe(first);
    expect(cached(w)).toMatch(/^A {2}fingerprint [0-9a-f]{8}$/m);
    for (const value of ["alpha-value", "a-second-value", "bravo-value"]) expect(cached(w)).not.toContain(value);
  });

  it("is off with --diff-values, whatever the global config says, and the cache made before is deleted", () => {
    const w = history();
    gitOk(w, ["log", "-p", "--", "secrets.vault"]);
    expect(cacheExists(w)).toBe(true);
    gitOk(w, ["config", "--global", "diff.sealenv.cachetextconv", "true"]);
    const setup = w.vault(["git", "setup", "--diff-values"]);
    expect(setup.code).toBe(0);
    expect(setup.stderr).toContain(`git's textconv cache (${CACHE}, deleted)`);
    expect(gitOk(w, ["config", "--bool", "diff.sealenv.cachetextconv"])).toBe("false\n");
    expect(cacheExists(w)).toBe(false);
    expect(gitOk(w, ["log", "-p", "--", "secrets.vault"])).toContain('+A = "a-second-value"');
    expect(cacheExists(w)).toBe(false);
    expect(w.vault(["git", "setup", "--diff-values"]).stderr).toContain("nothing changed");
    expect(w.vault(["doctor"]).stdout).toContain("ok    git: diff and merge drivers set up");
  });

  it("a cache of values someone turned on is a doctor failure, and going back to masked diffs deletes it", () => {
    const w = history();
    expect(w.vault(["git", "setup", "--diff-values"]).code).toBe(0);
    gitOk(w, ["config", "diff.sealenv.cachetextconv", "true"]);
    gitOk(w, ["log", "-p", "--", "secrets.vault"]);
    expect(cached(w)).toContain("a-second-value");
    expect(w.vault(["doctor"]).stdout).toMatch(/fail {2}git: diffs show values and git caches them: plaintext values in \.git \(refs\/notes\/textconv\/sealenv\)\n {6}fix: `vault git setup --diff-values` again/);
    const masked = w.vault(["git", "setup"]);
    expect(masked.stderr).toContain(`git's textconv cache (${CACHE}, deleted)`);
    expect(cacheExists(w)).toBe(false);
    gitOk(w, ["log", "-p", "--", "secrets.vault"]);
    expect(cached(w)).not.toContain("a-second-value");
  });

  it("trusts no cache this repository's driver did not make: notes made elsewhere name another command", () => {
    const w = history();
    const command = gitOk(w, ["config", "diff.sealenv.textconv"]).trim();
    expect(command).toMatch(/ git textconv --cache [0-9a-f]{24}$/);
    // What someone who can push notes to a shared remote could make: their own cache entry
    // for the vault in HEAD, saying something harmless in place of what changed.
    const scratch = path.dirname(w.dir);
    writeFileSync(path.join(scratch, "harmless.txt"), "nothing to see here\n");
    const fake = gitOk(w, ["hash-object", "-w", path.join(scratch, "harmless.txt")]).trim();
    const blob = gitOk(w, ["rev-parse", "HEAD:secrets.vault"]).trim();
    const index = { GIT_INDEX_FILE: path.join(scratch, "notes.index") };
    gitOk(w, ["update-index", "--add", "--cacheinfo", `100644,${fake},${blob}`], index);
    const tree = gitOk(w, ["write-tree"], index).trim();
    const plant = (validity: string) => gitOk(w, ["update-ref", CACHE, gitOk(w, ["commit-tree", tree, "-m", validity]).trim()]);
    for (const theirs of [command.replace(/[0-9a-f]{24}$/, "0".repeat(24)), command.replace(/ --cache .*$/, "")]) {
      plant(theirs);
      const diff = gitOk(w, ["diff", "HEAD~1", "HEAD", "--", "secrets.vault"]);
      expect(diff).not.toContain("nothing to see here");
      expect(diff).toMatch(/^\+A {2}fingerprint [0-9a-f]{8}$/m);
    }
    // Made under this repository's own command, the same note is shown: what the id keeps out.
    plant(command);
    expect(gitOk(w, ["diff", "HEAD~1", "HEAD", "--", "secrets.vault"])).toContain("nothing to see here");
    // Setting up again keeps the id.
    expect(w.vault(["git", "setup"]).stderr).toContain("nothing changed");
    expect(gitOk(w, ["config", "diff.sealenv.textconv"]).trim()).toBe(command);
  });

  it("doctor warns of a remote that fetches into the cache, which would then speak for the vault", () => {
    const w = repo();
    gitOk(w, ["remote", "add", "origin", "https://example.com/x.git"]);
    gitOk(w, ["config", "--add", "remote.origin.fetch", "+refs/notes/*:refs/notes/*"]);
    expect(w.vault(["doctor"]).stdout).toContain(`warn  git: remote origin fetches into ${CACHE}`);
  });
});

describe("the pre-commit leak guard", () => {
  function guarded(): Workspace {
    const w = repo();
    expect(w.vault(["git", "hook", "install"]).code).toBe(0);
    return w;
  }

  function commitFile(w: Workspace, name: string, content: string) {
    writeFileSync(path.join(w.dir, name), content);
    gitOk(w, ["add", "-f", name]);
    return gitIn(w, ["commit", "-qm", `add ${name}`]);
  }

  it.each([
    ["the value itself", "config.js", "const key = 'charlie-value';\n", /config\.js:1: C \(development\)/],
    ["its base64", "blob.txt", `x\n${Buffer.from("delta-value").toString("base64")}\n`, /blob\.txt:2: D \(development, base64\)/],
    ["its URL-encoded form", "url.txt", `https://h/?t=${encodeURIComponent("p@ss w/rd&more")}\n`, /url\.txt:1: URLSECRET \(development, url-encoded\)/],
    ["a plaintext .env file", ".env.local", "API_TOKEN=1234\n", /\.env\.local: a plaintext env file with 1 value/],
  ])("refuses a commit that adds %s, naming file, line and secret but not the value", (_what, name, content, message) => {
    const w = guarded();
    w.vault(["set", "URLSECRET", "p@ss w/rd&more"]);
    gitOk(w, ["commit", "-qam", "url secret"]);
    const head = gitOk(w, ["rev-parse", "HEAD"]);
    const r = commitFile(w, name, content);
    // git reports any failing pre-commit hook as 1.
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain("commit refused");
    for (const value of ["charlie-value", "delta-value", "p@ss w/rd&more"]) expect(r.stderr).not.toContain(value);
    expect(gitOk(w, ["rev-parse", "HEAD"])).toBe(head);
  });

  it("refuses a vault that fails its integrity check", () => {
    const w = guarded();
    dropSecret(w.vaultFile, "B");
    gitOk(w, ["add", "secrets.vault"]);
    const r = gitIn(w, ["commit", "-qm", "tampered"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("secrets.vault: a vault that fails its integrity check");
  });

  it("lets a clean commit through, .env.example included", () => {
    const w = guarded();
    w.vault(["set", "A", "changed-value"]);
    writeFileSync(path.join(w.dir, ".env.example"), "API_TOKEN=\n");
    gitOk(w, ["add", "-A"]);
    const r = gitIn(w, ["commit", "-qm", "clean"]);
    expect(r.code).toBe(0);
  });

  it("guards a vault in a subfolder, which git's run of the hook at the top would not find", () => {
    const w = fx.fresh();
    const sub = path.join(w.dir, "services", "api");
    mkdirSync(sub, { recursive: true });
    renameSync(w.vaultFile, path.join(sub, "secrets.vault"));
    gitOk(w, ["init", "-q", "-b", "main"]);
    w.vault(["set", "A", "alpha-value"], { cwd: sub });
    expect(w.vault(["git", "hook", "install"], { cwd: sub }).code).toBe(0);
    gitOk(w, ["add", "-A"]);
    expect(gitIn(w, ["commit", "-qm", "clean"]).code).toBe(0);
    const r = commitFile(w, "config.js", "const a = 'alpha-value';\n");
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/config\.js:1: A \(development\)/)]);
  });

  it("keeps an existing pre-commit hook and runs it first", () => {
    const w = repo();
    const hooks = path.join(w.dir, ".git", "hooks");
    writeFileSync(path.join(hooks, "pre-commit"), `#!/bin/sh\necho existing-hook-ran >> "${path.join(w.home, "hook.log")}"\n`, { mode: 0o755 });
    const r = w.vault(["git", "hook", "install"]);
    expect(r.stderr).toContain("the hook that was there runs first");
    expect(w.vault(["git", "hook", "install"]).stderr).toContain("nothing changed");
    expect(commitFile(w, "ok.txt", "fine\n").code).toBe(0);
    expect(readFileSync(path.join(w.home, "hook.log"), "utf8")).toBe("existing-hook-ran\n");
    expect(commitFile(w, "bad.txt", "echo-value\n").code).toBe(1);
  });
});

describe("vault scan", () => {
  it("finds a value in any commit of the history and names the commit", () => {
    const w = repo();
    writeFileSync(path.join(w.dir, "old.txt"), "bravo-value\n");
    gitOk(w, ["add", "old.txt"]);
    gitOk(w, ["commit", "-qm", "leak"]);
    const leakCommit = gitOk(w, ["rev-parse", "--short", "HEAD"]).trim();
    gitOk(w, ["rm", "-q", "old.txt"]);
    gitOk(w, ["commit", "-qm", "remove"]);
    const r = w.vault(["scan", "--history"]);
    expect(r.code).toBe(EXIT.LEAK);
    expect(r.stderr).toContain(`commit ${leakCommit}: old.txt:1: B (development)`);
    // Not a terminal: no progress lines, only the result.
    expect(r.stderr).not.toContain("scanning history");
  });

  it("scans paths on disk and passes when clean", () => {
    const w = repo();
    writeFileSync(path.join(w.dir, "notes.md"), "nothing secret\n");
    const r = w.vault(["scan", "notes.md"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("no secrets found in 1 file(s)");
    writeFileSync(path.join(w.dir, "notes.md"), "oops alpha-value\n");
    expect(w.vault(["scan"]).code).toBe(EXIT.LEAK);
  });
});
