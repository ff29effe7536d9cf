import { spawn, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { EXIT } from "../../src/cli/exit-codes.js";
import { BIN, PASSPHRASE, type Workspace } from "../support/cli.js";
import { maskedValues, readDockerEnvFile, readGithubEnvFile } from "../support/env-file-readers.js";
import { useFixture } from "../support/fixture.js";

const fx = useFixture();

/** Single-line values docker's --env-file carries as they are. */
const oneLine: Record<string, string> = {
  EQUALS: "k=v=w",
  HASH: "#not a comment",
  SPACES: "  lead and trail  ",
  DOLLAR: "$HOME ${X} $(id)",
  QUOTES: `it's "both"`,
  UNICODE: "ключ 🔐",
  EMPTY: "",
};

const manyLines: Record<string, string> = {
  ...oneLine,
  PEM: "-----BEGIN KEY-----\nabc\n\ndef\n-----END KEY-----\n",
  YAMLISH: "yes",
  NUMBERISH: "012",
};

function filled(values: Record<string, string>): Workspace {
  const w = fx.fresh();
  for (const [name, value] of Object.entries(values)) expect(w.vault(["set", name], { input: `${value}\n` }).code).toBe(0);
  return w;
}

describe("vault export --format docker", () => {
  it("writes NAME=value lines docker's --env-file reads back exactly", () => {
    const w = filled(oneLine);
    const r = w.vault(["export", "--format", "docker"]);
    expect(r.code).toBe(0);
    for (const stripQuotes of [false, true]) expect(readDockerEnvFile(r.stdout, stripQuotes)).toEqual(oneLine);
  });

  it("refuses a multi-line value, naming it, with nothing on stdout", () => {
    const w = filled(manyLines);
    const r = w.vault(["export", "--format", "docker"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("PEM");
    expect(r.stderr).toContain("--format k8s");
    expect(r.stderr).not.toContain("BEGIN KEY");
  });
});

describe("vault export --format k8s", () => {
  /** kubectl reads the manifest and prints it as JSON, with no cluster: `label --local` reads files only. */
  function kubectlRead(manifest: string): { apiVersion: string; kind: string; type: string; metadata: Record<string, string>; data: Record<string, string> } {
    const home = mkdtempSync(path.join(tmpdir(), "sealenv-kubectl-"));
    const r = spawnSync("kubectl", ["label", "--local", "-f", "-", "-o", "json", "checked=yes"], {
      input: manifest,
      encoding: "utf8",
      env: { PATH: process.env.PATH, HOME: home },
    });
    expect(r.error).toBeUndefined();
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    return JSON.parse(r.stdout);
  }

  it("writes a Secret kubectl reads, whose decoded values are the secrets", () => {
    const w = filled(manyLines);
    const r = w.vault(["export", "--format", "k8s", "--namespace", "web"]);
    expect(r.code).toBe(0);
    const secret = kubectlRead(r.stdout);
    expect(secret).toMatchObject({ apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: "project-development", namespace: "web" } });
    const decoded = Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]));
    expect(decoded).toEqual(manyLines);
    for (const key of Object.keys(secret.data)) expect(key).toMatch(/^[-._a-zA-Z0-9]+$/);
  });

  it("takes --name, and refuses one Kubernetes would", () => {
    const w = filled({ A: "1" });
    expect(kubectlRead(w.vault(["export", "--format", "k8s", "--name", "api.prod"]).stdout).metadata.name).toBe("api.prod");
    const bad = w.vault(["export", "--format", "k8s", "--name", "Not_Valid"]);
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stdout).toBe("");
    expect(w.vault(["export", "--format", "json", "--name", "x"]).code).toBe(EXIT.USAGE);
  });
});

describe("vault export --format yaml", () => {
  it("says so in one line when stdout cannot take the export", () => {
    const w = filled(oneLine);
    const full = openSync("/dev/full", "w");
    try {
      const r = spawnSync(process.execPath, [BIN, "export", "--format", "yaml"], { cwd: w.dir, env: w.env, stdio: ["ignore", full, "pipe"], encoding: "utf8" });
      expect(r.status).toBe(EXIT.IO);
      expect(r.stderr).toMatch(/^vault: error: cannot write to stdout \(ENOSPC\)\nvault: hint: .*\n$/);
    } finally {
      closeSync(full);
    }
  });

  it("writes a flat map the yaml package reads back as the same strings, in YAML 1.1 and 1.2", () => {
    const w = filled(manyLines);
    const r = w.vault(["export", "--format", "yaml"]);
    expect(r.code).toBe(0);
    for (const version of ["1.1", "1.2"] as const) expect(parseYaml(r.stdout, { version })).toEqual(manyLines);
  });
});

describe("vault ci github", () => {
  it("masks every line of every value on stdout, then appends the secrets to $GITHUB_ENV as the runner reads them", () => {
    const w = filled(manyLines);
    const file = path.join(w.dir, "github_env");
    writeFileSync(file, "EARLIER=step\n");
    const r = w.vault(["ci", "github"], { env: { GITHUB_ENV: file } });
    expect(r.code).toBe(0);
    expect(readGithubEnvFile(readFileSync(file, "utf8"))).toEqual({ EARLIER: "step", ...manyLines });
    // stdout is the masks and nothing else; no value reaches stderr.
    expect(r.stdout.split("\n").filter((l) => l && !l.startsWith("::add-mask::"))).toEqual([]);
    const masked = new Set(maskedValues(r.stdout));
    for (const value of Object.values(manyLines)) {
      for (const line of value.split("\n")) if (line.trim()) expect(masked.has(line), line).toBe(true);
      if (value.trim()) expect(r.stderr).not.toContain(value.trim());
    }
  });

  it("refuses a stdout that is not the runner's pipe (a file, /dev/null, /dev/full): the masks would reach nobody", () => {
    const w = filled(oneLine);
    const file = path.join(w.dir, "github_env");
    writeFileSync(file, "");
    for (const target of ["/dev/null", "/dev/full", path.join(w.dir, "out.txt")]) {
      const out = openSync(target, "w");
      try {
        const r = spawnSync(process.execPath, [BIN, "ci", "github"], { cwd: w.dir, env: { ...w.env, GITHUB_ENV: file }, stdio: ["ignore", out, "pipe"], encoding: "utf8" });
        expect({ target, status: r.status }).toEqual({ target, status: EXIT.USAGE });
        expect(r.stderr).toContain("stdout must be the runner's pipe");
      } finally {
        closeSync(out);
      }
    }
    expect(readFileSync(file, "utf8")).toBe("");
  });

  it("writes nothing to $GITHUB_ENV when the masks cannot be written (the pipe's reader is gone)", async () => {
    const w = filled(oneLine);
    const file = path.join(w.dir, "github_env");
    writeFileSync(file, "");
    const child = spawn(process.execPath, [BIN, "ci", "github"], { cwd: w.dir, env: { ...w.env, GITHUB_ENV: file }, stdio: ["ignore", "pipe", "pipe"] });
    // Closed before the child can have opened the vault: its first write meets a pipe nobody reads.
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(EXIT.IO);
    expect(stderr).toContain("nothing was written to $GITHUB_ENV");
    expect(readFileSync(file, "utf8")).toBe("");
  });

  it("refuses NODE_OPTIONS, which the runner would refuse and fail the step for, before anything is written", () => {
    const w = filled({ ...oneLine, NODE_OPTIONS: "--require ./x.js" });
    const file = path.join(w.dir, "github_env");
    writeFileSync(file, "");
    const r = w.vault(["ci", "github"], { env: { GITHUB_ENV: file } });
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("NODE_OPTIONS cannot be set through $GITHUB_ENV");
    expect(readFileSync(file, "utf8")).toBe("");
  });

  it("refuses to run outside GitHub Actions, with a hint and nothing printed", () => {
    const w = filled(oneLine);
    const r = w.vault(["ci", "github"], { env: { GITHUB_ENV: undefined } });
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/GITHUB_ENV is not set: .*\nvault: hint: /);
  });
});

describe("vault example and vault check", () => {
  /** A vault with development (the fixture's) and staging, each with names of its own and a template. */
  function twoEnvironments(): Workspace {
    const w = fx.fresh();
    expect(w.vault(["env", "add", "staging", "--passphrase", "--same-passphrase"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(0);
    const staging = { VAULT_KEY_STAGING: w.vault(["key", "export", "--env", "staging"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).stdout.trim() };
    w.vault(["import", "-"], { input: "DB_HOST=db.internal\nDB_PASSWORD=hunter2-dev\nDEV_ONLY=1\n" });
    w.vault(["set", "--template", "DATABASE_URL", "postgres://${DB_USER:-literal-default-user}:${DB_PASSWORD}@${DB_HOST}/app"]);
    w.vault(["import", "-", "--env", "staging"], { input: "DB_HOST=db.staging\nDB_PASSWORD=hunter2-staging\nDATABASE_URL=postgres://fixed\n", env: staging });
    return w;
  }

  it("prints NAME= lines, sorted, marking templates by the names they use, never a value or a template's text", () => {
    const w = twoEnvironments();
    const r = w.vault(["example"]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n").filter((l) => l && !l.startsWith("# The variables"));
    expect(lines).toEqual(["# DATABASE_URL is a template, built from ${DB_USER}, ${DB_PASSWORD}, ${DB_HOST}", "DATABASE_URL=", "DB_HOST=", "DB_PASSWORD=", "DEV_ONLY="]);
    for (const leak of ["literal-default-user", "hunter2", "db.internal", "postgres"]) expect(r.stdout + r.stderr).not.toContain(leak);
  });

  it("needs no key: names are plaintext (templates then go unmarked, and it says so)", () => {
    const w = twoEnvironments();
    const r = w.vault(["example", "--all"], { env: { VAULT_KEY: undefined } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("# DEV_ONLY= (only in development)\n");
    // What `example --all` writes, `check --all` passes: a name not everywhere is commented out.
    writeFileSync(path.join(w.dir, "all.example"), r.stdout);
    expect(w.vault(["check", "--all", "--example", "all.example"], { env: { VAULT_KEY: undefined } }).code).toBe(0);
    expect(r.stdout).not.toContain("template");
    expect(r.stderr).toContain("no key for development, staging here");
    expect(w.vault(["example", "--all", "--env", "staging"]).code).toBe(EXIT.USAGE);
  });

  it("checks an environment against the example, naming what it lacks, with no key", () => {
    const w = twoEnvironments();
    writeFileSync(path.join(w.dir, ".env.example"), w.vault(["example"]).stdout);
    const noKey = { VAULT_KEY: undefined };
    expect(w.vault(["check"], { env: noKey }).code).toBe(0);
    const staging = w.vault(["check", "--env", "staging"], { env: noKey });
    expect(staging.code).toBe(EXIT.NOT_FOUND);
    expect(staging.stderr).toContain("staging lacks DEV_ONLY");
    expect(staging.stdout).toBe("");
  });

  it("checks every environment with --all, and the other way too with --strict", () => {
    const w = twoEnvironments();
    writeFileSync(path.join(w.dir, "team.env"), "# shared\nDB_HOST=\nDB_PASSWORD=\nNEW_VAR=\n");
    const all = w.vault(["check", "--all", "--example", "team.env"]);
    expect(all.code).toBe(EXIT.NOT_FOUND);
    expect(all.stderr).toContain("development lacks NEW_VAR; staging lacks NEW_VAR");
    const strict = w.vault(["check", "--all", "--strict", "--example", "team.env"]);
    expect(strict.stderr).toContain("development has DATABASE_URL, DEV_ONLY, which team.env lacks");
    expect(strict.stderr).toContain("staging has DATABASE_URL, which team.env lacks");
    writeFileSync(path.join(w.dir, "team.env"), "DB_HOST=\nDB_PASSWORD=\nDATABASE_URL=\n");
    expect(w.vault(["check", "--env", "staging", "--strict", "--example", "team.env"]).code).toBe(0);
  });

  it("reports a missing or unreadable example file clearly", () => {
    const w = fx.fresh();
    const missing = w.vault(["check"]);
    expect(missing.code).toBe(EXIT.NOT_FOUND);
    expect(missing.stderr).toContain("no example file .env.example");
    writeFileSync(path.join(w.dir, ".env.example"), "GOOD=\nnot a line\n");
    const bad = w.vault(["check"]);
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stderr).toContain(".env.example, line 2");
  });
});
