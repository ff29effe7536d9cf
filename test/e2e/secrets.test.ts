import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { PASSPHRASE, workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";

const fx = useFixture();

describe("vault init", () => {
  it("creates secrets.vault with a development environment as the default", () => {
    const w = workspace({ VAULT_PASSPHRASE: PASSPHRASE });
    const r = w.vault(["init", "--passphrase"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    const doc = JSON.parse(w.file());
    expect(doc.sealenv).toBe(1);
    expect(doc.default).toBe("development");
    expect(Object.keys(doc.environments)).toEqual(["development"]);
    expect(w.vault(["env", "ls"]).stdout).toBe("development (default)\n");
  });

  it("refuses to overwrite an existing vault and leaves it as it was", () => {
    const w = fx.fresh();
    const before = w.snapshot();
    const r = w.vault(["init", "--passphrase"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    expect(r.code).toBe(EXIT.EXISTS);
    expect(r.stderr).toMatch(/^vault: error: secrets.vault already exists/m);
    expect(w.snapshot()).toEqual(before);
  });

  it("refuses a short passphrase and writes nothing", () => {
    const w = workspace({ VAULT_PASSPHRASE: "short" });
    const r = w.vault(["init", "--passphrase"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("passphrase too short");
    expect(w.snapshot()).toEqual({});
  });

  it("without a keychain and without a passphrase, says so and writes nothing", () => {
    const w = workspace();
    const r = w.vault(["init"]);
    expect(r.code).toBe(EXIT.KEYCHAIN_UNAVAILABLE);
    expect(r.stderr).toMatch(/no keychain on this machine/);
    expect(r.stderr).toMatch(/hint: .*passphrase/);
    expect(w.snapshot()).toEqual({});
  });
});

describe("vault set / get / rm / ls", () => {
  const tricky: Record<string, string> = {
    MULTILINE: "line one\nline two\n\nline four",
    CRLF: "windows\r\nline",
    UNICODE: "pässwörd 🔑 日本語",
    EQUALS: "a=b=c==",
    QUOTES: `it's "quoted" \`back\``,
    DOLLAR: "$HOME $PATH $(whoami) \\n $",
    SPACES: "  padded  ",
    EMPTY: "",
    BIG: "x".repeat(64 * 1024),
  };

  it("round-trips tricky values exactly through stdin", () => {
    const w = fx.fresh();
    for (const [name, value] of Object.entries(tricky)) {
      // No trailing newline of our own: the value is sent exactly.
      expect(w.vault(["set", name], { input: value }).code).toBe(0);
    }
    for (const [name, value] of Object.entries(tricky)) {
      const r = w.vault(["get", name]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe(`${value}\n`);
    }
  });

  it("trims the one newline echo adds, and only one", () => {
    const w = fx.fresh();
    w.vault(["set", "A"], { input: "value\n" });
    w.vault(["set", "B"], { input: "value\n\n" });
    expect(w.vault(["get", "A"]).stdout).toBe("value\n");
    expect(w.vault(["get", "B"]).stdout).toBe("value\n\n");
  });

  it("takes the value as an argument too", () => {
    const w = fx.fresh();
    expect(w.vault(["set", "PORT", "8080"]).code).toBe(0);
    expect(w.vault(["get", "PORT"]).stdout).toBe("8080\n");
  });

  it("writes nothing when the value is already the one stored", () => {
    const w = fx.fresh();
    w.vault(["set", "PORT", "8080"]);
    const file = path.join(w.dir, "secrets.vault");
    const before = { ino: statSync(file).ino, text: readFileSync(file, "utf8") };
    const r = w.vault(["set", "PORT", "8080"]);
    expect([r.code, r.stderr]).toEqual([0, "vault: PORT in development already had that value\n"]);
    // Every write renames a new file into place: the same inode is the same file, untouched.
    expect({ ino: statSync(file).ino, text: readFileSync(file, "utf8") }).toEqual(before);
    expect(w.vault(["set", "PORT", "8081"]).code).toBe(0);
    expect(statSync(file).ino).not.toBe(before.ino);
  });

  it("changes a value's line and the MAC's, and no other", () => {
    const w = fx.fresh();
    for (const name of ["A", "B", "C"]) w.vault(["set", name, `${name} one`]);
    const file = path.join(w.dir, "secrets.vault");
    const before = readFileSync(file, "utf8").split("\n");
    expect(w.vault(["set", "B", "B two"]).code).toBe(0);
    const after = readFileSync(file, "utf8").split("\n");
    const changed = after.flatMap((line, i) => (line === before[i] ? [] : [line.trim().split(":")[0]]));
    expect([after.length, changed]).toEqual([before.length, ['"B"', '"mac"']]);
    expect(["A", "B", "C"].map((name) => w.vault(["get", name]).stdout)).toEqual(["A one\n", "B two\n", "C one\n"]);
  });

  it("writes a file someone escaped by hand in sealenv's own form", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "one"]);
    const file = path.join(w.dir, "secrets.vault");
    const canonical = readFileSync(file, "utf8");
    writeFileSync(file, canonical.replace('"default"', '"defaul\\u0074"'));
    expect(w.vault(["set", "A", "two"]).code).toBe(0);
    expect(readFileSync(file, "utf8")).not.toContain("\\");
    expect(w.vault(["get", "A"]).stdout).toBe("two\n");
  });

  it("lists names one a line, and as JSON", () => {
    const w = fx.fresh();
    w.vault(["set", "B_KEY", "1"]);
    w.vault(["set", "A_KEY", "2"]);
    expect(w.vault(["ls"]).stdout).toBe("A_KEY\nB_KEY\n");
    expect(JSON.parse(w.vault(["ls", "--json"]).stdout)).toEqual(["A_KEY", "B_KEY"]);
  });

  it("lists names without any key", () => {
    const w = fx.fresh();
    w.vault(["set", "A_KEY", "2"]);
    expect(w.vault(["ls"], { env: { VAULT_KEY: undefined } }).stdout).toBe("A_KEY\n");
  });

  it("removes a secret", () => {
    const w = fx.fresh();
    w.vault(["set", "GONE", "1"]);
    w.vault(["set", "KEPT", "2"]);
    expect(w.vault(["rm", "GONE"]).code).toBe(0);
    expect(w.vault(["ls"]).stdout).toBe("KEPT\n");
    const r = w.vault(["get", "GONE"]);
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toContain("no secret GONE in development");
  });

  it.each([["1ABC"], ["MY-VAR"], ["A B"], ["é"]])("refuses the invalid name %j and writes nothing", (name) => {
    const w = fx.fresh();
    const before = w.snapshot();
    const r = w.vault(["set", name, "v"]);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("invalid secret name");
    expect(r.stderr).toContain("vault: hint:");
    expect(w.snapshot()).toEqual(before);
  });

  it("refuses a value containing NUL and writes nothing", () => {
    const w = fx.fresh();
    const before = w.snapshot();
    const r = w.vault(["set", "BIN"], { input: Buffer.from([0x61, 0x00, 0x62]) });
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toContain("NUL");
    expect(w.snapshot()).toEqual(before);
  });

  it("finds the vault from a subfolder, like git finds .git", () => {
    const w = fx.fresh();
    w.vault(["set", "DEEP", "yes"]);
    const sub = path.join(w.dir, "src", "nested");
    mkdirSync(sub, { recursive: true });
    expect(w.vault(["get", "DEEP"], { cwd: sub }).stdout).toBe("yes\n");
  });

  it("says where it looked when there is no vault", () => {
    const w = workspace();
    const r = w.vault(["get", "X"]);
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toMatch(/no secrets.vault in .* or any parent folder/);
    expect(r.stderr).toContain("vault init");
  });

  it("uses --vault and VAULT_FILE to point elsewhere", () => {
    const w = fx.fresh();
    w.vault(["set", "WHERE", "there"]);
    const other = workspace({ VAULT_KEY: fx.key });
    const file = path.join(w.dir, "secrets.vault");
    expect(other.vault(["get", "WHERE", "--vault", file]).stdout).toBe("there\n");
    expect(other.vault(["get", "WHERE"], { env: { VAULT_FILE: file } }).stdout).toBe("there\n");
  });

  it("prints nothing on stdout but the value", () => {
    const w = fx.fresh();
    expect(w.vault(["set", "QUIET", "v"]).stdout).toBe("");
    expect(w.vault(["get", "QUIET"]).stdout).toBe("v\n");
  });

  it("never writes the value to stderr", () => {
    const w = fx.fresh();
    const r = w.vault(["set", "HIDDEN"], { input: "super-secret-value" });
    expect(r.stderr).not.toContain("super-secret-value");
  });
});

describe("values", () => {
  it("never runs commands: $(...) and backticks stay text", () => {
    const w = fx.fresh();
    w.vault(["set", "CMD"], { input: "$(touch pwned) `touch pwned2`" });
    expect(w.vault(["get", "CMD"]).stdout).toBe("$(touch pwned) `touch pwned2`\n");
    expect(w.snapshot()).not.toHaveProperty("pwned");
  });
});
