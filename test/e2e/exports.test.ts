import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { EXIT } from "../../src/cli/exit-codes.js";
import { BIN, type Workspace } from "../support/cli.js";
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

  it("writes nothing to $GITHUB_ENV when the masks cannot be written", () => {
    const w = filled(oneLine);
    const file = path.join(w.dir, "github_env");
    writeFileSync(file, "");
    const full = openSync("/dev/full", "w");
    try {
      const r = spawnSync(process.execPath, [BIN, "ci", "github"], { cwd: w.dir, env: { ...w.env, GITHUB_ENV: file }, stdio: ["ignore", full, "pipe"], encoding: "utf8" });
      expect(r.status).toBe(EXIT.IO);
      expect(r.stderr).toContain("nothing was written to $GITHUB_ENV");
    } finally {
      closeSync(full);
    }
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
