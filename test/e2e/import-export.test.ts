import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { parse as parseDotenv } from "dotenv";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { useFixture } from "../support/fixture.js";

const fx = useFixture();

const DOTENV = [
  "# a comment",
  "PLAIN=value",
  "export EXPORTED=yes",
  "SPACED = around equals ",
  "SINGLE='single $HOME'",
  'DOUBLE="line1\\nline2"',
  "BACKTICK=`has 'single' and \"double\"`",
  "INLINE=value # trailing comment",
  "EMPTY=",
  "HASH='#not a comment'",
  "MULTI=\"first",
  "second\"",
  "URL=postgres://u:p@h:5432/db?sslmode=require",
  "",
].join("\n");

const tricky: Record<string, string> = {
  DOLLAR: "$HOME $PATH $(id) $USER",
  BACKTICKS: "`whoami`",
  QUOTES: `it's "both"`,
  NEWLINES: "a\nb\n\nc",
  TRAILING_SPACE: "x  ",
  BACKSLASH_N: "literal \\n here",
  UNICODE: "ключ 🔐",
  EQUALS: "k=v",
};

describe("vault import", () => {
  it("imports exactly what dotenv.parse reads", () => {
    const w = fx.fresh();
    writeFileSync(path.join(w.dir, ".env"), DOTENV);
    const r = w.vault(["import", ".env"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("still holds them in plaintext");
    const expected = parseDotenv(DOTENV);
    const json = JSON.parse(w.vault(["export", "--format", "json"]).stdout);
    expect(json).toEqual(expected);
  });

  it("refuses names that are not environment variable names, importing nothing", () => {
    const w = fx.fresh();
    writeFileSync(path.join(w.dir, ".env"), "GOOD=1\nmy.dotted=2\nBAD-DASH=3\n");
    const before = w.snapshot();
    const r = w.vault(["import", ".env"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("my.dotted, BAD-DASH");
    expect(w.snapshot()).toEqual(before);
  });

  it("reports a missing file", () => {
    const w = fx.fresh();
    const r = w.vault(["import", "nope.env"]);
    expect(r.code).toBe(EXIT.NOT_FOUND);
  });

  it("reads stdin with -", () => {
    const w = fx.fresh();
    expect(w.vault(["import", "-"], { input: "FROM_STDIN=ok\n" }).code).toBe(0);
    expect(w.vault(["get", "FROM_STDIN"]).stdout).toBe("ok\n");
  });
});

describe("vault export", () => {
  function filled() {
    const w = fx.fresh();
    for (const [name, value] of Object.entries(tricky)) w.vault(["set", name], { input: value });
    return w;
  }

  it("writes dotenv that dotenv.parse reads back identically", () => {
    const w = filled();
    const r = w.vault(["export", "--format", "dotenv"]);
    expect(r.code).toBe(0);
    expect(parseDotenv(r.stdout)).toEqual(tricky);
  });

  it("writes shell that sh and bash eval back exactly", () => {
    const w = filled();
    const out = w.vault(["export", "--format", "shell"]).stdout;
    const dump = `${out}\nnode -e 'const o={};for(const k of process.argv.slice(1))o[k]=process.env[k];process.stdout.write(JSON.stringify(o))' ${Object.keys(tricky).join(" ")}`;
    for (const shell of ["sh", "bash"]) {
      const r = spawnSync(shell, ["-c", dump], { encoding: "utf8", env: { PATH: process.env.PATH } });
      expect(r.status).toBe(0);
      expect(JSON.parse(r.stdout)).toEqual(tricky);
    }
  });

  it("writes JSON", () => {
    const w = filled();
    expect(JSON.parse(w.vault(["export", "--format", "json"]).stdout)).toEqual(tricky);
  });

  it("refuses an unknown format", () => {
    const w = fx.fresh();
    const r = w.vault(["export", "--format", "toml"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("toml");
  });
});
