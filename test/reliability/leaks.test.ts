import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import type { Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { gitOk } from "../support/git.js";
import { dropSecret } from "../support/tamper.js";

const fx = useFixture();
let w: Workspace;
let spy: string;
let tmp: string;
const canaries = Array.from({ length: 5 }, () => `canary-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`);

/** Every file under `dir`, recursively, that contains any canary. */
function filesWithCanary(dir: string): string[] {
  const hits: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && statSync(p).size < 10_000_000) {
        const text = readFileSync(p, "latin1");
        if (canaries.some((c) => text.includes(c))) hits.push(p);
      }
    }
  };
  if (existsSync(dir)) walk(dir);
  return hits;
}

beforeAll(() => {
  w = fx.fresh();
  w.vault(["import", "-"], { input: canaries.map((c, i) => `SECRET_${i}=${c}\n`).join("") });
  gitOk(w, ["init", "-q"]);
  // Every program sealenv starts (git, the editor, the child) goes through a spy that logs its argv.
  spy = path.join(w.home, "spy");
  mkdirSync(path.join(spy, "bin"), { recursive: true });
  const realGit = spawnSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).stdout.trim();
  writeFileSync(path.join(spy, "bin", "git"), `#!/bin/sh\nprintf '%s\\n' "git $*" >> "${spy}/argv.log"\nexec "${realGit}" "$@"\n`);
  writeFileSync(path.join(spy, "editor"), `#!/bin/sh\nprintf '%s\\n' "editor $*" >> "${spy}/argv.log"\n`);
  chmodSync(path.join(spy, "bin", "git"), 0o755);
  chmodSync(path.join(spy, "editor"), 0o755);
  tmp = path.join(w.home, "tmp");
  mkdirSync(tmp);
});

const run = (args: string[], extra: Record<string, string | undefined> = {}, input?: string) =>
  w.vault(args, { env: { PATH: `${path.join(spy, "bin")}:${process.env.PATH}`, TMPDIR: tmp, EDITOR: path.join(spy, "editor"), ...extra }, ...(input === undefined ? {} : { input }) });

describe("leak canaries", () => {
  it("never show a value in output the user did not ask for, in errors, argv, temp folders or logs", () => {
    const outputs: string[] = [];
    const record = (r: { stdout: string; stderr: string }) => outputs.push(r.stdout, r.stderr);
    // Commands that do not reveal values, and failures.
    for (const args of [
      ["ls"], ["ls", "--json"], ["env", "ls"], ["status"], ["doctor"], ["audit"], ["member", "ls"], ["git", "setup"], ["git", "hook", "install"],
      ["scan", "."], ["set", "OTHER", "other-value"], ["rm", "OTHER"], ["edit"], ["get", "MISSING"], ["run", "--", "no-such-command"],
      ["get", "SECRET_0", "--env", "nope"], ["rotate", "--print-key"], ["key", "forget", "--yes"], ["env", "add", "../x"],
    ]) {
      record(run(args, args[0] === "rotate" ? { VAULT_PASSPHRASE: "correct horse battery staple" } : {}));
    }
    const key = run(["key", "export"], { VAULT_KEY: undefined, VAULT_PASSPHRASE: "correct horse battery staple" }).stdout.trim();
    // The wrapped program's argv; git diff through the textconv driver; the pre-commit hook on a clean commit.
    record(run(["run", "--", "sh", "-c", 'printf "%s\\n" "$0" "$@" >> "$SPY_LOG"'], { VAULT_KEY: key, SPY_LOG: path.join(spy, "argv.log") }));
    writeFileSync(path.join(w.dir, "notes.txt"), "nothing here\n");
    gitOk(w, ["add", "-A"], { PATH: `${path.join(spy, "bin")}:${process.env.PATH}`, VAULT_KEY: key });
    record(spawnSync("git", ["commit", "-qm", "x"], { cwd: w.dir, encoding: "utf8", env: { ...w.env, VAULT_KEY: key, PATH: `${path.join(spy, "bin")}:${process.env.PATH}`, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@t", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@t" } }));
    run(["set", "SECRET_0"], { VAULT_KEY: key }, canaries[0]);
    record(spawnSync("git", ["diff"], { cwd: w.dir, encoding: "utf8", env: { ...w.env, VAULT_KEY: key } }));
    // A tampered vault: the error must not quote what it could read.
    dropSecret(w.vaultFile, "SECRET_1", "development", path.join(w.dir, "tampered.vault"));
    record(run(["get", "SECRET_2", "--vault", "tampered.vault"], { VAULT_KEY: key }));

    const joined = outputs.join("\n");
    const hits = canaries.filter((c) => joined.includes(c));
    expect(hits).toEqual([]);
    expect(readFileSync(path.join(spy, "argv.log"), "utf8")).toMatch(/^git /m);
    expect(filesWithCanary(spy)).toEqual([]);
    expect(filesWithCanary(tmp)).toEqual([]);
    expect(filesWithCanary(w.home)).toEqual([]);
    if (existsSync("/dev/shm")) expect(readdirSync("/dev/shm").filter((f) => f.startsWith("sealenv-edit-"))).toEqual([]);
    console.log(`leak canaries: ${canaries.length} planted, ${outputs.length / 2} commands checked, 0 hits`);
  });
});

describe("hostile paths", () => {
  it.each(["../x", "..", "a/b", "x/../../y", "%2e%2e", ".hidden", "UPPER", ""])("refuses the environment name %j everywhere", (name) => {
    const before = w.snapshot();
    expect(w.vault(["env", "add", name, "--passphrase"], { env: { VAULT_PASSPHRASE: "correct horse battery staple" } }).code).toBe(EXIT.USAGE);
    expect(w.vault(["ls", "--env", name]).code).toBe(EXIT.USAGE);
    // An empty VAULT_ENV means unset, as for any variable.
    if (name !== "") expect(w.vault(["ls"], { env: { VAULT_ENV: name } }).code).toBe(EXIT.USAGE);
    expect(w.snapshot()).toEqual(before);
  });

  it("refuses a vault path that is a symlink, for reads and writes", () => {
    const link = path.join(w.home, "link.vault");
    spawnSync("ln", ["-s", path.join(w.dir, "secrets.vault"), link]);
    expect(w.vault(["set", "X", "y", "--vault", link]).code).toBe(EXIT.IO);
    expect(w.vault(["ls", "--vault", link]).code).toBe(EXIT.IO);
  });
});

