import { describe, expect, it } from "vitest";
import { checkDotenvText } from "../../src/cli/dotenv-check.js";
import { dotenvQuote, formatSecrets } from "../../src/cli/export-formats.js";
import { withoutCredentials } from "../../src/credentials.js";
import { parseDotenvText } from "../../src/dotenv-parse.js";
import { parseVault, serializeVault } from "../../src/format/index.js";
import { envFileLeak } from "../../src/scan/find.js";
import { environmentOf } from "../../src/vault/session.js";
import { resolveSecrets } from "../../src/vault/templates.js";
import { errorOf } from "../support/errors.js";

/** Names that are members of Object.prototype: each must be an ordinary name. */
const PROTO_NAMES = ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"];
const SEALED = `${"n".repeat(32)}.${"c".repeat(40)}`;

/** A vault file's text; JSON.parse makes "__proto__" an own key, so this is what a file can hold. */
function vaultText(envs: Record<string, string[]>, defaultEnv = Object.keys(envs)[0]!): string {
  const environments = Object.entries(envs).map(
    ([env, names]) =>
      `${JSON.stringify(env)}: { "generation": 0, "keyId": "k", "signer": "${"A".repeat(43)}", "retiredKeyIds": [], "keyLinks": [], "slots": [], "secrets": { ${names.map((n) => `${JSON.stringify(n)}: "${SEALED}"`).join(", ")} }, "mac": "m" }`,
  );
  return `{ "sealenv": 1, "id": "AAAAAAAAAAAAAAAAAAAAAA", "default": ${JSON.stringify(defaultEnv)}, "environments": { ${environments.join(", ")} } }`;
}


describe("names that are Object.prototype members", () => {
  it("parse as ordinary secrets and environments, and serialize back", () => {
    const doc = parseVault(vaultText({ constructor: PROTO_NAMES, development: ["A"] }));
    expect(Object.keys(doc.environments).sort()).toEqual(["constructor", "development"]);
    const secrets = doc.environments[PROTO_NAMES[0]!]!.secrets;
    expect(Object.keys(secrets).sort()).toEqual([...PROTO_NAMES].sort());
    for (const name of PROTO_NAMES) expect(Object.hasOwn(secrets, name) && secrets[name]).toBe(SEALED);
    // "__proto__" is an entry, not a prototype: the record inherits nothing.
    expect(Object.getPrototypeOf(secrets)).toBeNull();
    expect(Object.getPrototypeOf(doc.environments)).toBeNull();
    expect(parseVault(serializeVault(doc))).toEqual(doc);
    expect(serializeVault(doc)).toContain(`"__proto__": "${SEALED}"`);
  });

  it("are not found where they do not exist", () => {
    const doc = parseVault(vaultText({ development: ["A"] }));
    expect(doc.environments.development!.secrets.toString).toBeUndefined();
    expect(errorOf(() => environmentOf(doc, "constructor")).code).toBe("not_found");
  });

  it("do not pass as a default environment that does not exist", () => {
    const err = errorOf(() => parseVault(vaultText({ development: ["A"] }, "constructor")));
    expect(err.code).toBe("bad_vault");
    expect(err.message).toMatch(/default environment constructor does not exist/);
  });

  it("resolve in templates, and a template using one that is set nowhere is an error naming it", () => {
    const stored = Object.fromEntries(PROTO_NAMES.map((n) => [n, { value: `<${n}>`, template: false }]));
    stored.ALL = { value: PROTO_NAMES.map((n) => `\${${n}}`).join(","), template: true };
    expect(resolveSecrets(stored, "dev", {}).ALL).toBe(PROTO_NAMES.map((n) => `<${n}>`).join(","));
    for (const name of PROTO_NAMES) {
      // Nor are they variables of the process: `${constructor}` never finds Object's.
      const err = errorOf(() => resolveSecrets({ URL: { value: `x\${${name}}`, template: true } }, "dev", {}));
      expect(err.code).toBe("not_found");
      expect(err.message).toContain(`uses \${${name}}, which is neither a secret there nor set in the environment`);
    }
  });

  it("are read from dotenv text, __proto__ included, in every form dotenv accepts", () => {
    const text = "constructor=c\n__proto__=p\nexport  __proto__ = 'q'\ntoString: t\n";
    const parsed = parseDotenvText(text);
    // Computed keys: a literal `__proto__:` in an object literal would set the prototype instead.
    expect({ ...parsed }).toEqual({ constructor: "c", ["__proto__"]: "q", toString: "t" });
    expect(Object.hasOwn(parsed, "__proto__")).toBe(true);
    expect(parseDotenvText("__proto__: p\n")["__proto__"]).toBe("p");
    // A name that happens to be our stand-in is not disturbed.
    expect({ ...parseDotenvText("SEALENV_PROTO=s\n__proto__=p\n") }).toEqual({ SEALENV_PROTO: "s", ["__proto__"]: "p" });
    expect(Object.hasOwn(parseDotenvText("A=1\n"), "__proto__")).toBe(false);
  });

  it("survive an edit: the edited text keeps __proto__ instead of dropping it", () => {
    const checked = checkDotenvText("__proto__='p'\nvalueOf=v\n");
    expect("values" in checked && { ...checked.values }).toEqual({ ["__proto__"]: "p", valueOf: "v" });
  });

  it("are exported in dotenv syntax that reads back", () => {
    const secrets = Object.fromEntries(PROTO_NAMES.map((n) => [n, `it's ${n}`]));
    const text = formatSecrets(secrets, "dotenv");
    expect({ ...parseDotenvText(text) }).toEqual(secrets);
    expect(dotenvQuote("__proto__", "x")).toBe("'x'");
  });

  it("count in a plaintext env file, and pass on to child processes", () => {
    expect(envFileLeak(".env", Buffer.from("__proto__=hunter2hunter2\n"))?.what).toContain("1 value(s) (__proto__)");
    const env = withoutCredentials(Object.fromEntries([["__proto__", "p"], ["VAULT_KEY", "k"]]));
    expect(Object.hasOwn(env, "__proto__") && env["__proto__"]).toBe("p");
    expect(Object.hasOwn(env, "VAULT_KEY")).toBe(false);
  });
});
