import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { useFixture } from "../support/fixture.js";
import { gitOk } from "../support/git.js";

const fx = useFixture();

/** Every credential variable sealenv reads, set beside the VAULT_KEY the fixture gives. */
const CREDENTIALS = {
  VAULT_KEY_PRODUCTION: "sealenv-key-1:production:not-a-real-key",
  VAULT_KEY_STAGING: "sealenv-key-1:staging:not-a-real-key",
  VAULT_PASSPHRASE: "correct horse battery staple",
  VAULT_PASSPHRASE_FILE: "/nonexistent/passphrase",
  VAULT_IDENTITY: "AGE-SECRET-KEY-NOT-REAL",
  VAULT_SSH_KEY: "/nonexistent/id_ed25519",
  VAULT_AGE_KEY_FILE: "/nonexistent/keys.txt",
};

const printVaultVariables = [
  process.execPath,
  "-e",
  'process.stdout.write(JSON.stringify({ vars: Object.keys(process.env).filter((k) => k.startsWith("VAULT_")).sort(), API_KEY: process.env.API_KEY }))',
];

describe("credentials never reach a child", () => {
  it("vault run gives the child the vault's secrets but none of sealenv's key variables", () => {
    const w = fx.fresh();
    w.vault(["set", "API_KEY", "from-the-vault"]);
    const r = w.vault(["run", "--", ...printVaultVariables], { env: { ...CREDENTIALS, VAULT_ENV: "development" } });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    // VAULT_ENV chooses an environment and is no secret: it stays.
    expect(JSON.parse(r.stdout)).toEqual({ vars: ["VAULT_ENV"], API_KEY: "from-the-vault" });
  });

  it("vault run --override keeps them out too", () => {
    const w = fx.fresh();
    w.vault(["set", "API_KEY", "from-the-vault"]);
    const r = w.vault(["run", "--override", "--", ...printVaultVariables], { env: CREDENTIALS });
    expect(JSON.parse(r.stdout)).toEqual({ vars: [], API_KEY: "from-the-vault" });
  });

  it("git processes sealenv starts get none of them", () => {
    const w = fx.fresh();
    gitOk(w, ["init", "-q"]);
    // A git on PATH that records the VAULT_ variables it was given, then runs the real one.
    const spy = path.join(w.home, "spy");
    mkdirSync(spy);
    const log = path.join(spy, "env.log");
    const realGit = spawnSync("sh", ["-c", "command -v git"], { encoding: "utf8" }).stdout.trim();
    writeFileSync(path.join(spy, "git"), `#!/bin/sh\n{ echo "git $1"; env | grep '^VAULT_' | cut -d= -f1; } >> "${log}"\nexec "${realGit}" "$@"\n`);
    chmodSync(path.join(spy, "git"), 0o755);
    const env = { ...CREDENTIALS, PATH: `${spy}:${process.env.PATH}` };
    for (const args of [["git", "setup"], ["doctor"], ["scan", "--staged"]]) w.vault(args, { env });
    const lines = readFileSync(log, "utf8").split("\n").filter(Boolean);
    expect(lines.filter((l) => l.startsWith("git ")).length).toBeGreaterThan(3);
    expect(lines.filter((l) => !l.startsWith("git "))).toEqual([]);
  });
});
