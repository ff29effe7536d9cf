import { parse as parseDotenv } from "dotenv";
import { describe, expect, it } from "vitest";
import { dotenvQuote, formatSecrets, shellQuote } from "../../src/cli/export-formats.js";
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
