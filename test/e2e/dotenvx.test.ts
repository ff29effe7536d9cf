import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse as dotenvxParse } from "@dotenvx/dotenvx";
import { parse as parseDotenv } from "dotenv";
import { beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import type { Result, Workspace } from "../support/cli.js";
import { encryptWithDotenvx, type DotenvxFiles } from "../support/dotenvx.js";
import { useFixture } from "../support/fixture.js";

const fx = useFixture();

/** What we hand dotenvx to encrypt: comments, every quoting, multi-line values, `$` and `${...}`. */
const PLAINTEXT: Record<string, string> = {
  ".env": [
    "# development settings",
    "PLAIN=value",
    "SINGLE='single $HOME ${NOPE}'",
    'DOUBLE="line1\\nline2 ${REF} $DOLLAR"',
    'MULTI="first',
    "second",
    '  third"',
    "BACKTICK=`it's \"both\"`",
    "INLINE=value # trailing comment",
    "EMPTY=",
    "",
  ].join("\n"),
  ".env.production": [
    "# production",
    'DATABASE_URL="postgres://u:p@h:5432/db?sslmode=require"',
    'PRIVATE_PEM="-----BEGIN KEY-----',
    "abc$def",
    '-----END KEY-----"',
    "PRICE='$5 ${AMOUNT}'",
    "",
  ].join("\n"),
  // USER_NAME before its use: dotenvx expands line by line, sealenv's templates when read.
  ".env.staging": ["API_KEY=staging-key", "USER_NAME=staging", 'GREETING="hello ${USER_NAME:-world}"', ""].join("\n"),
};

let dx: DotenvxFiles;
beforeAll(() => {
  dx = encryptWithDotenvx(PLAINTEXT);
});

const key = (name: string) => dx.keys[name] as string;

/** A fresh workspace holding the fixture vault and the dotenvx files (and, unless told not to, .env.keys). */
function withDotenvxFiles(options: { keysFile?: boolean } = {}): Workspace {
  const w = fx.fresh();
  for (const name of [...Object.keys(PLAINTEXT), ...(options.keysFile === false ? [] : [".env.keys"])]) {
    copyFileSync(path.join(dx.dir, name), path.join(w.dir, name));
  }
  return w;
}

function exported(w: Workspace): Record<string, string> {
  const r = w.vault(["export", "--format", "json"]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, string>;
}

/** No private key dotenvx wrote appears in what `vault` printed. */
function expectNoKeyIn(r: Result): void {
  for (const k of Object.values(dx.keys)) expect(r.stdout + r.stderr).not.toContain(k);
}

describe("vault import --from dotenvx", () => {
  it("dotenvx really encrypted the files it was handed", () => {
    for (const name of Object.keys(PLAINTEXT)) {
      const text = readFileSync(path.join(dx.dir, name), "utf8");
      expect(text).toContain("DOTENV_PUBLIC_KEY");
      expect(text).toContain("encrypted:");
      expect(text).not.toContain("staging-key");
    }
    expect(Object.keys(dx.keys).sort()).toEqual(["DOTENV_PRIVATE_KEY", "DOTENV_PRIVATE_KEY_PRODUCTION", "DOTENV_PRIVATE_KEY_STAGING"]);
  });

  it("imports .env with the key from the .env.keys beside it, each value as written", () => {
    const w = withDotenvxFiles();
    const r = w.vault(["import", "--from", "dotenvx", ".env"]);
    expect(r.code, r.stderr).toBe(0);
    expect(exported(w)).toEqual(parseDotenv(PLAINTEXT[".env"] as string));
    expect(w.vault(["get", "MULTI"]).stdout).toBe("first\nsecond\n  third\n");
    expect(r.stderr).toContain("encrypted to its dotenvx key");
    expect(r.stderr).toContain("delete it and .env.keys");
    expect(r.stderr).not.toContain("plaintext");
    expectNoKeyIn(r);
  });

  it("imports .env.production with the key from DOTENV_PRIVATE_KEY_PRODUCTION, with no .env.keys", () => {
    const w = withDotenvxFiles({ keysFile: false });
    const r = w.vault(["import", "--from", "dotenvx", ".env.production"], { env: { DOTENV_PRIVATE_KEY_PRODUCTION: key("DOTENV_PRIVATE_KEY_PRODUCTION") } });
    expect(r.code, r.stderr).toBe(0);
    expect(exported(w)).toEqual(parseDotenv(PLAINTEXT[".env.production"] as string));
    expect(w.vault(["get", "PRIVATE_PEM"]).stdout).toBe("-----BEGIN KEY-----\nabc$def\n-----END KEY-----\n");
    expect(w.vault(["ls"]).stdout).not.toContain("DOTENV_PUBLIC_KEY");
    expectNoKeyIn(r);
  });

  it("falls back to DOTENV_PRIVATE_KEY, and reads a file in another folder with the .env.keys beside it", () => {
    const w = withDotenvxFiles({ keysFile: false });
    const a = w.vault(["import", "--from", "dotenvx", ".env.staging"], { env: { DOTENV_PRIVATE_KEY: key("DOTENV_PRIVATE_KEY_STAGING") } });
    expect(a.code, a.stderr).toBe(0);
    const b = w.vault(["import", "--from", "dotenvx", path.join(dx.dir, ".env.production")]);
    expect(b.code, b.stderr).toBe(0);
    expect(exported(w)).toEqual({ ...parseDotenv(PLAINTEXT[".env.staging"] as string), ...parseDotenv(PLAINTEXT[".env.production"] as string) });
  });

  it("with --expand, reads ${...} in double quotes as a template, as dotenvx does, and single quotes literally", () => {
    const w = withDotenvxFiles();
    expect(w.vault(["import", "--from", "dotenvx", "--expand", ".env.staging"]).code).toBe(0);
    expect(w.vault(["get", "GREETING"]).stdout).toBe("hello staging\n");
    expect(w.vault(["import", "--from", "dotenvx", "--expand", ".env.production"]).code).toBe(0);
    expect(w.vault(["get", "PRICE"]).stdout).toBe("$5 ${AMOUNT}\n");
  });

  it("with --expand, reads a file as dotenvx itself reads it", () => {
    const w = withDotenvxFiles();
    expect(w.vault(["import", "--from", "dotenvx", "--expand", ".env.staging"]).code).toBe(0);
    const text = readFileSync(path.join(w.dir, ".env.staging"), "utf8");
    const { DOTENV_PUBLIC_KEY_STAGING, ...asDotenvxReads } = dotenvxParse(text, { privateKey: key("DOTENV_PRIVATE_KEY_STAGING"), processEnv: {} });
    expect(DOTENV_PUBLIC_KEY_STAGING).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(exported(w)).toEqual(asDotenvxReads);
  });

  it("reads stdin with the key from the variables only", () => {
    const w = withDotenvxFiles();
    const input = readFileSync(path.join(w.dir, ".env.production"));
    const none = w.vault(["import", "--from", "dotenvx", "-"], { input });
    expect(none.code).toBe(EXIT.NO_KEY);
    expect(none.stderr).toContain("stdin has no .env.keys");
    const r = w.vault(["import", "--from", "dotenvx", "-"], { input, env: { DOTENV_PRIVATE_KEY_PRODUCTION: key("DOTENV_PRIVATE_KEY_PRODUCTION") } });
    expect(r.code, r.stderr).toBe(0);
    expect(w.vault(["get", "DATABASE_URL"]).stdout).toBe("postgres://u:p@h:5432/db?sslmode=require\n");
  });
});

describe("vault import --from dotenvx refuses, writing nothing", () => {
  it("without a private key, naming where it looked", () => {
    const w = withDotenvxFiles({ keysFile: false });
    const before = w.snapshot();
    const r = w.vault(["import", "--from", "dotenvx", ".env.production"]);
    expect(r.code).toBe(EXIT.NO_KEY);
    expect(r.stderr).toContain("DOTENV_PRIVATE_KEY_PRODUCTION, DOTENV_PRIVATE_KEY and DOTENV_PRIVATE_KEY_PRODUCTION in .env.keys");
    expect(r.stderr).toContain("vault: hint:");
    expect(w.snapshot()).toEqual(before);
  });

  it("with another file's key, naming the value but never it or the key", () => {
    const w = withDotenvxFiles({ keysFile: false });
    const before = w.snapshot();
    const r = w.vault(["import", "--from", "dotenvx", ".env.production"], { env: { DOTENV_PRIVATE_KEY_PRODUCTION: key("DOTENV_PRIVATE_KEY_STAGING") } });
    expect(r.code).toBe(EXIT.WRONG_KEY);
    expect(r.stderr).toContain("does not decrypt DATABASE_URL");
    expect(r.stderr).not.toContain("postgres");
    expect(r.stderr.trim().split("\n")).toHaveLength(2);
    expectNoKeyIn(r);
    expect(w.snapshot()).toEqual(before);
  });

  it("with a key that is not one", () => {
    const w = withDotenvxFiles({ keysFile: false });
    const before = w.snapshot();
    const r = w.vault(["import", "--from", "dotenvx", ".env"], { env: { DOTENV_PRIVATE_KEY: "not-hex" } });
    expect(r.code).toBe(EXIT.BAD_KEY_STRING);
    expect(r.stderr).not.toContain("not-hex");
    expect(w.snapshot()).toEqual(before);
  });

  it("a malformed encrypted: value, naming it", () => {
    const w = withDotenvxFiles();
    const file = path.join(w.dir, ".env.staging");
    writeFileSync(file, readFileSync(file, "utf8").replace(/^API_KEY=encrypted:.{8}/m, "API_KEY=encrypted:!!!!"));
    const before = w.snapshot();
    const r = w.vault(["import", "--from", "dotenvx", ".env.staging"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("API_KEY is not a value dotenvx encrypted");
    expect(w.snapshot()).toEqual(before);
  });
});

describe("a plain vault import of a dotenvx file", () => {
  it("refuses its encrypted values, naming them, and points to --from dotenvx", () => {
    const w = withDotenvxFiles();
    const before = w.snapshot();
    const r = w.vault(["import", ".env.staging"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("API_KEY, USER_NAME, GREETING");
    expect(r.stderr).toContain("--from dotenvx");
    expect(r.stderr).not.toContain("plaintext");
    expect(w.snapshot()).toEqual(before);
  });

  it("with --from dotenvx but nothing encrypted, looks for no key and says the file is plaintext", () => {
    const w = fx.fresh();
    writeFileSync(path.join(w.dir, ".env"), "A=1\n");
    const r = w.vault(["import", "--from", "dotenvx", ".env"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("still holds 1 of them in plaintext");
    expect(r.stderr).not.toContain("dotenvx key");
  });
});
