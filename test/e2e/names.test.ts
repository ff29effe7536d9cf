import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { formatKeyString, loadSodium } from "../../src/crypto/index.js";
import { parseVault, serializeVault } from "../../src/format/index.js";
import { newEnvironment } from "../../src/vault/key-home.js";
import { PASSPHRASE, type Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { EDITOR } from "../support/scripted-editor.js";

/** Secret names that are members of Object.prototype: each is an ordinary name. */
const NAMES = ["constructor", "toString", "hasOwnProperty", "valueOf", "__proto__"];
const valueOf = (name: string) => `value of ${name}, long enough to scan`;
const expected = () => Object.fromEntries(NAMES.map((n) => [n, valueOf(n)]));

const fx = useFixture();

function withAllNames(): Workspace {
  const w = fx.fresh();
  for (const name of NAMES) expect(w.vault(["set", name, valueOf(name)]).code).toBe(0);
  return w;
}

describe("secrets named like Object.prototype members", () => {
  it("are not found before they are set", () => {
    const w = fx.fresh();
    for (const name of NAMES) {
      const r = w.vault(["get", name]);
      expect(r.code).toBe(EXIT.NOT_FOUND);
      expect(r.stderr).toContain(`no secret ${name} in development`);
      expect(r.stderr).not.toContain("unexpected");
      expect(w.vault(["rm", name]).code).toBe(EXIT.NOT_FOUND);
    }
  });

  it("set, get, ls, export and rm like any other name", () => {
    const w = withAllNames();
    for (const name of NAMES) expect(w.vault(["get", name]).stdout).toBe(`${valueOf(name)}\n`);
    expect(w.vault(["ls"]).stdout).toBe(`${[...NAMES].sort().join("\n")}\n`);
    expect(Object.keys(JSON.parse(w.file()).environments.development.secrets).sort()).toEqual([...NAMES].sort());

    expect(JSON.parse(w.vault(["export", "--format", "json"]).stdout)).toEqual(expected());
    const dotenv = w.vault(["export", "--format", "dotenv"]);
    expect(dotenv.code).toBe(0);
    expect(dotenv.stdout).toContain(`__proto__='${valueOf("__proto__")}'\n`);
    const shell = w.vault(["export", "--format", "shell"]);
    expect(shell.stdout).toContain(`export constructor='${valueOf("constructor")}'\n`);

    expect(w.vault(["rm", ...NAMES]).code).toBe(0);
    expect(w.vault(["ls"]).stdout).toBe("");
    expect(JSON.parse(w.file()).environments.development.secrets).toEqual({});
  });

  it("resolve in templates", () => {
    const w = withAllNames();
    w.vault(["set", "--template", "ALL", NAMES.map((n) => `\${${n}}`).join("|")]);
    expect(w.vault(["get", "ALL"]).stdout).toBe(`${NAMES.map(valueOf).join("|")}\n`);
    w.vault(["rm", "toString"]);
    const r = w.vault(["get", "ALL"]);
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toContain("the template ALL in development uses ${toString}, which is neither a secret there nor set in the environment");
  });

  // Fails until src/run/env.ts (another change) merges with own-property checks: it asks
  // `merged[name] === undefined`, which is false for every one of these names.
  it("reach the program under vault run", () => {
    const w = withAllNames();
    const script = `process.stdout.write(JSON.stringify(Object.fromEntries(${JSON.stringify(NAMES)}.map((n) => [n, Object.hasOwn(process.env, n) ? process.env[n] : null]))))`;
    const r = w.vault(["run", "--", process.execPath, "-e", script]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(expected());
  });

  it("import from a dotenv file, __proto__ included", () => {
    const w = fx.fresh();
    writeFileSync(path.join(w.dir, "in.env"), NAMES.map((n) => `${n}="${valueOf(n)}"\n`).join(""));
    const r = w.vault(["import", "in.env"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("imported 5 secret(s)");
    expect(JSON.parse(w.vault(["export", "--format", "json"]).stdout)).toEqual(expected());
  });

  it("survive vault edit of another secret", () => {
    const w = withAllNames();
    const actions = { append: "NEW=added\n" };
    const r = w.vault(["edit"], { env: { EDITOR, EDIT_ACTIONS: JSON.stringify(actions) } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("development: 1 added, 0 changed, 0 removed");
    expect(JSON.parse(w.vault(["export", "--format", "json"]).stdout)).toEqual({ ...expected(), NEW: "added" });
  });
});

describe("an environment named constructor", () => {
  it("is added, listed, made the default and removed", () => {
    const w = fx.fresh();
    expect(w.vault(["ls", "--env", "constructor"]).code).toBe(EXIT.NOT_FOUND);
    const add = w.vault(["env", "add", "constructor", "--passphrase", "--same-passphrase"], { env: { VAULT_PASSPHRASE: PASSPHRASE } });
    expect(add.stderr).toBe("vault: added environment constructor\n");
    expect(add.code).toBe(0);
    expect(w.vault(["env", "ls"]).stdout).toBe("constructor\ndevelopment (default)\n");
    expect(w.vault(["ls", "--env", "constructor"]).code).toBe(0);
    expect(w.vault(["env", "add", "constructor", "--passphrase", "--same-passphrase"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(EXIT.EXISTS);
    // The default is under both environments' MACs: both keys are needed to move it.
    expect(w.vault(["env", "default", "constructor"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(0);
    expect(w.vault(["env", "ls"]).stdout).toBe("constructor (default)\ndevelopment\n");
    expect(w.vault(["env", "default", "development"], { env: { VAULT_PASSPHRASE: PASSPHRASE } }).code).toBe(0);
    expect(w.vault(["env", "rm", "constructor"]).code).toBe(0);
    expect(w.vault(["env", "ls"]).stdout).toBe("development (default)\n");
    expect(w.vault(["env", "rm", "constructor"]).code).toBe(EXIT.NOT_FOUND);
  });

  it("holds secrets like any other environment", async () => {
    // Built with the library and opened by key string: one Argon2id run per file is enough.
    await loadSodium();
    const w = fx.fresh();
    const file = path.join(w.dir, "secrets.vault");
    const doc = parseVault(readFileSync(file, "utf8"));
    const envName: string = "constructor"; // a plain string: TypeScript types `.constructor` as Function
    const { env, keys } = newEnvironment({ vaultId: doc.id, envName, isDefault: false }, { keychain: false });
    doc.environments[envName] = env;
    writeFileSync(file, serializeVault(doc));
    const key = { env: { VAULT_KEY_CONSTRUCTOR: formatKeyString("constructor", keys.dataKey) } };

    expect(w.vault(["set", "__proto__", "p-value", "--env", "constructor"], key).code).toBe(0);
    expect(w.vault(["set", "A", "a-value", "--env", "constructor"], key).code).toBe(0);
    expect(w.vault(["get", "__proto__", "--env", "constructor"], key).stdout).toBe("p-value\n");
    expect(w.vault(["ls", "--env", "constructor"]).stdout).toBe("A\n__proto__\n");
    expect(JSON.parse(w.vault(["export", "--format", "json", "--env", "constructor"], key).stdout)).toEqual({ A: "a-value", ["__proto__"]: "p-value" });
    expect(w.vault(["rm", "A", "--env", "constructor"], key).code).toBe(0);
    expect(w.vault(["ls", "--env", "constructor"]).stdout).toBe("__proto__\n");
    // The development environment is untouched.
    expect(w.vault(["ls"]).stdout).toBe("");
  });
});
