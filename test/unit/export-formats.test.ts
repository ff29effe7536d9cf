import { parse as parseDotenv } from "dotenv";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { dotenvQuote, formatSecrets, manifestPlace, shellQuote } from "../../src/cli/export-formats.js";
import type { VaultError } from "../../src/errors.js";
import { readDockerEnvFile } from "../support/env-file-readers.js";
import { errorOf } from "../support/errors.js";
import { mergeEnvironment } from "../../src/run/env.js";

const values = ["plain", "", "it's", 'say "hi"', "`cmd`", "$HOME", "a\nb", "  pad  ", "#hash", "a\\nb", "'\"", "x=y", "🔑"];

describe("dotenv output", () => {
  it.each(values)("round-trips %j through dotenv.parse", (value) => {
    expect(parseDotenv(`K=${dotenvQuote("K", value)}\n`).K).toBe(value);
  });

  it("refuses a value dotenv cannot hold instead of writing a wrong one", () => {
    // dotenv folds a raw CR into a newline, and in double quotes turns a literal \n into one.
    expect(() => dotenvQuote("K", "\\n\r")).toThrow(/cannot be written in dotenv syntax/);
  });

  it("never writes a value dotenv would read back differently", () => {
    const alphabet = ["'", '"', "`", "\\", "n", "\n", "\r", " ", "#", "a", "=", "$"];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % alphabet.length;
    for (let i = 0; i < 3000; i++) {
      const value = Array.from({ length: 1 + (i % 6) }, () => alphabet[next()]).join("");
      let quoted: string | undefined;
      try {
        quoted = dotenvQuote("K", value);
      } catch {
        continue;
      }
      expect(parseDotenv(`K=${quoted}\n`).K).toBe(value);
    }
  });

  it("writes one NAME=value line per secret", () => {
    expect(formatSecrets({ A: "1", B: "two" }, "dotenv")).toBe("A='1'\nB='two'\n");
  });
});

describe("shell output", () => {
  it("quotes single quotes the POSIX way", () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe("mergeEnvironment", () => {
  it("keeps variables already set unless told to override", () => {
    expect(mergeEnvironment({ A: "shell" }, { A: "vault", B: "vault" }, false)).toEqual({ A: "shell", B: "vault" });
    expect(mergeEnvironment({ A: "shell" }, { A: "vault" }, true)).toEqual({ A: "vault" });
  });

  it("treats an empty variable as set", () => {
    expect(mergeEnvironment({ A: "" }, { A: "vault" }, false)).toEqual({ A: "" });
  });
});

describe("docker output (docker run --env-file)", () => {
  const fine = ["plain", "", "x=y=z", "#not a comment", "a # b", "  lead", "trail  ", "\ttab", "$HOME ${X}", "it's", 'say "hi"', "'open", "🔑 ключ", "\\n"];

  it.each(fine)("writes %j so docker, old and new, reads it back exactly", (value) => {
    const text = formatSecrets({ K: value }, "docker");
    expect(text).toBe(`K=${value}\n`);
    for (const stripQuotes of [false, true]) expect(readDockerEnvFile(text, stripQuotes)).toEqual({ K: value });
  });

  it.each(["a\nb", "a\rb", "end\r", "'quoted'", '"quoted"', "x".repeat(70_000)])("refuses %j, naming the secret, before writing anything", (value) => {
    const error = errorOf(() => formatSecrets({ OK: "fine", BAD_ONE: value }, "docker"));
    expect(error.code).toBe("usage");
    expect(error.message).toContain("BAD_ONE");
    expect(error.message).not.toContain(value);
    expect(error.hint).toMatch(/--format k8s|json/);
  });

  it("never writes a line docker reads back differently", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), fc.string({ unit: "binary", maxLength: 30 })), (secrets) => {
        let text: string;
        try {
          text = formatSecrets(secrets, "docker");
        } catch (err) {
          expect((err as VaultError).code).toBe("usage");
          return;
        }
        for (const stripQuotes of [false, true]) expect(readDockerEnvFile(text, stripQuotes)).toEqual({ ...secrets });
      }),
      { numRuns: 500 },
    );
  });
});

describe("yaml output", () => {
  const retyped = ["yes", "no", "on", "off", "y", "n", "null", "~", "true", "1", "012", "0x1F", "1e3", "1:20", ".inf", "2001-12-14", "", "- x", "? x", "a: b", "# c", "a\nb\n", "  lead", "trail  ", "\ttab\n  two", "'\"", "ключ 🔐", "\r\n", "\u0085x", "\ufeffbom", "0o17", "<<", "=", "x\u007fy", "a\u2028b", "c\u2029", "\u0080\u009f", "*ref", "&anchor", "!tag", "%dir", "@at", "|", ">", "---", "..."];

  it.each(retyped)("reads %j back as the same string, in YAML 1.2 and 1.1", (value) => {
    const text = formatSecrets({ A: value, NO: value, Y: value }, "yaml");
    for (const version of ["1.1", "1.2"] as const) expect(parseYaml(text, { version })).toEqual({ A: value, NO: value, Y: value });
  });

  it("writes every key and value double-quoted, with nothing raw that a YAML 1.1 reader refuses or breaks lines at", () => {
    const text = formatSecrets({ A: "x\u007fy\u2028z\u0085\u2029\ufeff\u0090", B: "0o17" }, "yaml");
    expect(text).toBe('"A": "x\\u007fy\\u2028z\\u0085\\u2029\\ufeff\\u0090"\n"B": "0o17"\n');
    expect(formatSecrets({}, "yaml")).toBe("{}\n");
  });

  it("reads any value back as the same string", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/), fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: fc.constantFrom(..."ab:#-?' \"\n\t\r\\yesnul0x1.~") }))), (secrets) => {
        const text = formatSecrets(secrets, "yaml");
        for (const version of ["1.1", "1.2"] as const) expect(parseYaml(text, { version })).toEqual({ ...secrets });
      }),
      { numRuns: 1000 },
    );
  });
});

describe("k8s output", () => {
  it("is a v1 Opaque Secret with every value base64-encoded, keys sorted", () => {
    const text = formatSecrets({ ZED: "z", API_KEY: "line1\nline2", EMPTY: "" }, "k8s", { name: "api-production", namespace: "web" });
    const manifest = parseYaml(text) as { data: Record<string, string> };
    expect(manifest).toEqual({
      apiVersion: "v1",
      kind: "Secret",
      metadata: { name: "api-production", namespace: "web" },
      type: "Opaque",
      data: { API_KEY: Buffer.from("line1\nline2").toString("base64"), EMPTY: "", ZED: "eg==" },
    });
    expect(Object.keys(manifest.data)).toEqual(["API_KEY", "EMPTY", "ZED"]);
  });

  it("leaves the namespace out unless one is given", () => {
    expect(parseYaml(formatSecrets({ A: "1" }, "k8s", manifestPlace("api", "production", {})))).toMatchObject({ metadata: { name: "api-production" } });
    expect(formatSecrets({ A: "1" }, "k8s", { name: "n" })).not.toContain("namespace");
  });

  it.each([
    ["my_App", "development", "my-app-development"],
    ["__", "production", "production"],
    ["x".repeat(300), "production", `${"x".repeat(242)}-production`],
  ])("names the Secret after the vault's folder %j and the environment %j", (folder, env, name) => {
    expect(manifestPlace(folder, env, {}).name).toBe(name);
  });

  it("never gives two environments the same default name", () => {
    const names = ["prod_eu", "prod-eu", "prod--eu", "prod-", "development", "demo", "dev_"].map((env) => manifestPlace("x".repeat(300), env, {}).name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(253);
    expect(manifestPlace("api", "staging_eu", {}).name).toMatch(/^api-staging-eu-[0-9a-f]{8}$/);
  });

  it.each([["Upper"], ["-dash"], ["a_b"], ["x".repeat(254)]])("refuses --name %j, which Kubernetes would", (name) => {
    expect(errorOf(() => manifestPlace("api", "production", { name })).code).toBe("usage");
  });

  it("refuses a namespace that is not a DNS label", () => {
    expect(errorOf(() => manifestPlace("api", "production", { namespace: "a.b" })).code).toBe("usage");
  });
});
