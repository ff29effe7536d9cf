import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { githubEnvText, maskCommands } from "../../src/cli/github-env.js";
import { maskedValues, readGithubEnvFile } from "../support/env-file-readers.js";
import { errorOf } from "../support/errors.js";

describe("$GITHUB_ENV text", () => {
  it("reads back, as the runner reads it, exactly the secrets", () => {
    const secrets = { PLAIN: "v", EMPTY: "", NEWLINE: "\n", MULTI: "line1\nline2\n\nline4\n", EQ: "a=b<<c", CRLF: "a\r\nb" };
    expect(readGithubEnvFile(githubEnvText(secrets))).toEqual(secrets);
  });

  it("reads back any value (one ending in CR aside)", () => {
    const value = fc.string({ unit: fc.constantFrom("a", "=", "<", "\n", "\r", " ", "S", "E", "A", "L", "N", "V", "_") }).filter((v) => !v.endsWith("\r"));
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/), fc.oneof(value, fc.string({ unit: "binary" }).filter((v) => !v.endsWith("\r")))), (secrets) => {
        expect(readGithubEnvFile(githubEnvText(secrets))).toEqual({ ...secrets });
      }),
      { numRuns: 500 },
    );
  });

  it("gives each value a delimiter of its own, never one found in the value", () => {
    const draws = ["same", "same", "other"];
    const text = githubEnvText({ A: "xSEALENV_samex", B: "b" }, () => draws.shift() ?? "z");
    expect(text).toBe("A<<SEALENV_other\nxSEALENV_samex\nSEALENV_other\nB<<SEALENV_z\nb\nSEALENV_z\n");
    const random = githubEnvText({ A: "1", B: "2" }).match(/^[AB]<<(.*)$/gm);
    expect(new Set(random).size).toBe(2);
  });

  it("refuses a value ending in CR, which a Windows runner would drop", () => {
    const error = errorOf(() => githubEnvText({ OK: "x", BAD: "value\r" }));
    expect(error.code).toBe("usage");
    expect(error.message).toContain("BAD");
  });
});

describe("::add-mask:: commands", () => {
  it("masks every non-blank line of every value, % escaped as the runner unescapes it", () => {
    const out = maskCommands(["single", "l1\nl2\n\n   \nl3", "100%0A", "a\r\nb"]);
    expect(out.endsWith("\n")).toBe(true);
    expect(maskedValues(out)).toEqual(["single", "l1", "l2", "l3", "100%0A", "a", "b"]);
  });

  it("sends nothing for empty or blank values (the runner would warn and ignore it)", () => {
    expect(maskCommands(["", "  ", "\n"])).toBe("");
  });
});
