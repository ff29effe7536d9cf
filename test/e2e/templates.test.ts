/**
 * What you type is what the program gets: values are literal, templates only when asked
 * for (`vault set --template`, `vault import --expand`, `vault edit` in dotenv-expand's
 * syntax), and a broken template fails only what uses it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse } from "dotenv";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import type { Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { EDITOR } from "../support/scripted-editor.js";

const fx = useFixture();

const json = (w: Workspace, env: Record<string, string> = {}) => {
  const r = w.vault(["export", "--format", "json"], { env });
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, string>;
};
const printed = (w: Workspace, name: string) => w.vault(["run", "--", process.execPath, "-e", `process.stdout.write(process.env.${name} ?? "unset")`]);

/** A .env file with every quoting and expansion form a user meets. */
const DOTENV = [
  "PASSWORD=Zx9${q}7!",
  "LITERAL='no ${EXPAND} here'",
  "DOUBLE=\"x ${HOST}\"",
  "BACKTICK=`cost ${PRICE}`",
  "HOST=db.internal",
  "URL=postgres://${USER_NAME:-app}@${HOST}/db",
  "EMPTY_DEFAULT=${BLANK:-fallback}-${BLANK-kept}",
  "BLANK=",
  "AT_HOME=${HOME}/cache",
  "MULTI=\"line one\\nline ${HOST}\"",
  "",
].join("\n");

describe("vault set", () => {
  it("stores exactly the bytes given: a random password with ${...} is a password, not a reference", () => {
    const w = fx.fresh();
    const password = "Zx9${q}7!";
    expect(w.vault(["set", "PW", password]).code).toBe(0);
    expect(w.vault(["set", "OTHER", "plain-value"]).code).toBe(0);
    expect(w.vault(["get", "PW"]).stdout).toBe(`${password}\n`);
    expect(printed(w, "PW").stdout).toBe(password);
    expect(json(w)).toEqual({ OTHER: "plain-value", PW: password });
  });

  it("--template resolves ${NAME} from the environment's secrets, then the process's variables, then its default", () => {
    const w = fx.fresh();
    w.vault(["set", "HOST", "db.internal"]);
    const set = w.vault(["set", "--template", "URL", "postgres://${USER_NAME:-app}@${HOST}/db?home=${HOME}&t=${TAG-none}&lit=\\${HOST}"]);
    expect(set.code).toBe(0);
    expect(set.stderr).toContain("set URL in development (a template)");
    expect(set.stderr).not.toContain("warning");
    const home = w.env.HOME as string;
    expect(w.vault(["get", "URL"]).stdout).toBe(`postgres://app@db.internal/db?home=${home}&t=none&lit=\${HOST}\n`);
    expect(w.vault(["get", "URL"], { env: { USER_NAME: "svc", TAG: "" } }).stdout).toBe(`postgres://svc@db.internal/db?home=${home}&t=&lit=\${HOST}\n`);
    // A secret wins over a variable of the same name.
    expect(w.vault(["get", "URL"], { env: { HOST: "elsewhere" } }).stdout).toContain("@db.internal/");
  });

  it("a template never reads a sealenv credential from the environment", () => {
    const w = fx.fresh();
    const r = w.vault(["set", "--template", "LEAK", "k=${VAULT_KEY}"]);
    expect(r.stderr).toContain("warning: the template LEAK uses ${VAULT_KEY}");
    const got = w.vault(["get", "LEAK"]);
    expect(got.code).toBe(EXIT.NOT_FOUND);
    expect(got.stdout).toBe("");
    expect(got.stderr).not.toContain(fx.key);
  });

  it("warns about a name found nowhere; only what uses the broken template fails, naming it", () => {
    const w = fx.fresh();
    w.vault(["set", "GOOD", "fine-value"]);
    const set = w.vault(["set", "--template", "URL", "https://${MISSING_HOST}/"]);
    expect(set.code).toBe(0);
    expect(set.stderr).toContain("warning: the template URL uses ${MISSING_HOST}, which is neither a secret here nor set in the environment");

    expect(w.vault(["get", "GOOD"]).stdout).toBe("fine-value\n");
    for (const r of [w.vault(["get", "URL"]), w.vault(["run", "--", "true"]), w.vault(["export"])]) {
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: EXIT.NOT_FOUND, stdout: "" });
      expect(r.stderr).toContain("the template URL in development uses ${MISSING_HOST}");
      expect(r.stderr).toMatch(/^vault: hint: set MISSING_HOST/m);
    }
    // Set in the environment of the command, it resolves.
    expect(w.vault(["get", "URL"], { env: { MISSING_HOST: "example.org" } }).stdout).toBe("https://example.org/\n");
  });

  it("refuses a template that does not parse, and a cycle is named", () => {
    const w = fx.fresh();
    const before = w.snapshot();
    const bad = w.vault(["set", "--template", "T", "x ${not valid}"]);
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stderr).toContain("has a ${ at character 3 that is not ${NAME}");
    expect(w.snapshot()).toEqual(before);
    w.vault(["set", "--template", "A", "${B}"]);
    w.vault(["set", "--template", "B", "x${A}"]);
    const cycle = w.vault(["run", "--", "true"]);
    expect(cycle.code).toBe(EXIT.USAGE);
    expect(cycle.stderr).toContain("templates in development form a cycle: A -> B -> A");
  });

  it("turning a literal into a template with the same text is a change (and back)", () => {
    const w = fx.fresh();
    w.vault(["set", "H", "db"]);
    w.vault(["set", "T", "${H}"]);
    expect(w.vault(["get", "T"]).stdout).toBe("${H}\n");
    expect(w.vault(["set", "--template", "T", "${H}"]).stderr).toContain("set T in development (a template)");
    expect(w.vault(["get", "T"]).stdout).toBe("db\n");
    expect(w.vault(["set", "T", "${H}"]).stderr).toContain("set T in development");
    expect(w.vault(["get", "T"]).stdout).toBe("${H}\n");
  });
});

describe("vault import", () => {
  it("by default holds exactly what dotenv.parse returns, whatever the quoting", () => {
    const w = fx.fresh();
    writeFileSync(path.join(w.dir, ".env"), DOTENV);
    const r = w.vault(["import", ".env"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("warning");
    expect(json(w)).toEqual({ ...parse(DOTENV) });
  });

  it("--expand reads unquoted and double-quoted ${...} as templates, single- and backtick-quoted values as literals", () => {
    const w = fx.fresh();
    writeFileSync(path.join(w.dir, ".env"), DOTENV);
    const r = w.vault(["import", "--expand", ".env"]);
    expect(r.code, r.stderr).toBe(0);
    // ${q} and ${PRICE}... q is found nowhere: a warning, and the import still happens.
    expect(r.stderr).toContain("warning: the template PASSWORD uses ${q}");
    expect(r.stderr).not.toContain("template LITERAL");
    w.vault(["set", "q", "Q"]);
    expect(json(w)).toEqual({
      PASSWORD: "Zx9Q7!",
      LITERAL: "no ${EXPAND} here",
      DOUBLE: "x db.internal",
      BACKTICK: "cost ${PRICE}",
      HOST: "db.internal",
      URL: "postgres://app@db.internal/db",
      EMPTY_DEFAULT: "fallback-",
      BLANK: "",
      AT_HOME: `${w.env.HOME as string}/cache`,
      MULTI: "line one\nline db.internal",
      q: "Q",
    });
  });

  it("reads back every export format as the program sees it", () => {
    const w = fx.fresh();
    writeFileSync(path.join(w.dir, ".env"), DOTENV);
    w.vault(["import", "--expand", ".env"]);
    w.vault(["set", "q", "Q"]);
    const seen = json(w);
    const exported = w.vault(["export", "--format", "dotenv"]).stdout;
    expect({ ...parse(exported) }).toEqual(seen);
    const back = fx.fresh();
    writeFileSync(path.join(back.dir, "out.env"), exported);
    expect(back.vault(["import", "out.env"]).code).toBe(0);
    expect(json(back)).toEqual(seen);
  });
});

describe("vault edit", () => {
  it("shows templates and literals so that saving unchanged changes nothing, and reads an edit in the same syntax", () => {
    const w = fx.fresh();
    writeFileSync(path.join(w.dir, ".env"), DOTENV);
    w.vault(["import", "--expand", ".env"]);
    w.vault(["set", "q", "Q"]);
    w.vault(["set", "Q2", "it's `${both}` quotes"]);
    const record = path.join(w.dir, "shown.json");
    const before = w.file();
    const unchanged = w.vault(["edit"], { env: { EDITOR, EDIT_ACTIONS: JSON.stringify({ record, append: "\n" }) } });
    expect(unchanged.code, unchanged.stderr).toBe(0);
    expect(unchanged.stderr).toContain("no changes");
    expect(w.file()).toBe(before);
    const shown = (JSON.parse(readFileSync(record, "utf8")) as { text: string }).text;
    expect(shown).toContain("URL=postgres://${USER_NAME:-app}@${HOST}/db\n");
    expect(shown).toContain("LITERAL='no ${EXPAND} here'\n");

    const edited = w.vault(["edit"], {
      env: {
        EDITOR,
        EDIT_ACTIONS: JSON.stringify({
          replace: [
            ["HOST='db.internal'", "HOST=${DB_HOST:-db.example}"],
            ["LITERAL='no ${EXPAND} here'", 'LITERAL="now \\${EXPAND} literal"'],
          ],
          append: "GREETING='hello ${NAME}'\n",
        }),
      },
    });
    expect(edited.code, edited.stderr).toBe(0);
    expect(edited.stderr).toContain("1 added, 2 changed, 0 removed");
    const after = json(w);
    expect(after.HOST).toBe("db.example");
    expect(after.URL).toBe("postgres://app@db.example/db");
    expect(after.LITERAL).toBe("now ${EXPAND} literal");
    expect(after.GREETING).toBe("hello ${NAME}");
    expect(after.Q2).toBe("it's `${both}` quotes");
  });
});
