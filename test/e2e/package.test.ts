import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT, type Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";

const fx = useFixture();
let consumer: Workspace;

/** A separate project that installs the packed sealenv, as a user's app would. */
beforeAll(() => {
  consumer = fx.fresh();
  const packDir = path.join(consumer.home, "pack");
  mkdirSync(packDir);
  const pack = spawnSync("npm", ["pack", "--ignore-scripts", "--pack-destination", packDir], { cwd: ROOT, encoding: "utf8" });
  if (pack.status !== 0) throw new Error(pack.stderr);
  const tarball = path.join(packDir, readdirSync(packDir).find((f) => f.endsWith(".tgz"))!);
  writeFileSync(path.join(consumer.dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  const install = spawnSync("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts", tarball], {
    cwd: consumer.dir,
    encoding: "utf8",
    env: { ...process.env, HOME: consumer.home },
  });
  if (install.status !== 0) throw new Error(install.stderr);
  consumer.vault(["set", "DATABASE_URL", "postgres://from-vault"]);
  consumer.vault(["set", "PORT", "8080"]);
}, 240_000);

function node(script: string, env: Record<string, string> = {}, file = "app.mjs", flags: string[] = []) {
  writeFileSync(path.join(consumer.dir, file), script);
  return spawnSync(process.execPath, [...flags, file], { cwd: consumer.dir, encoding: "utf8", env: { ...consumer.env, ...env } });
}

const PRINT = "console.log(JSON.stringify({ url: process.env.DATABASE_URL, port: process.env.PORT }));\n";

describe("the packed package, used by another project", () => {
  it("`import \"sealenv/config\"` fills process.env, existing variables winning", () => {
    const r = node(`import "sealenv/config";\nconsole.log(JSON.stringify({ url: process.env.DATABASE_URL, port: process.env.PORT }));\n`, { PORT: "3000" });
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ url: "postgres://from-vault", port: "3000" });
  });

  it("load() returns the values without touching process.env, and config({ override }) replaces", () => {
    const r = node(
      `import { load, config } from "sealenv";\n` +
        `const values = await load();\n` +
        `const before = process.env.DATABASE_URL ?? null;\n` +
        `process.env.PORT = "3000";\nawait config({ override: true });\n` +
        `console.log(JSON.stringify({ values, before, port: process.env.PORT }));\n`,
    );
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ values: { DATABASE_URL: "postgres://from-vault", PORT: "8080" }, before: null, port: "8080" });
  });

  it("reports a missing key as an error with a code and a hint", () => {
    const r = node(`import { load } from "sealenv";\ntry { await load(); } catch (e) { console.log(JSON.stringify({ code: e.code, hint: Boolean(e.hint) })); }\n`, { VAULT_KEY: "" });
    expect(JSON.parse(r.stdout)).toEqual({ code: "no_key", hint: true });
  });

  it("fills process.env wherever dotenv's config does: node -r, node --import, require()", () => {
    const expected = { url: "postgres://from-vault", port: "3000" };
    for (const [file, flags, script] of [
      ["app.cjs", ["-r", "sealenv/config"], PRINT],
      ["app.mjs", ["--import", "sealenv/config"], PRINT],
      ["app.cjs", [], `require("sealenv/config");\n${PRINT}`],
    ] as const) {
      const r = node(script, { PORT: "3000" }, file, [...flags]);
      expect({ how: [...flags, file].join(" "), stderr: r.stderr, status: r.status }).toEqual({ how: [...flags, file].join(" "), stderr: "", status: 0 });
      expect(JSON.parse(r.stdout)).toEqual(expected);
    }
  });

  it("loadSync() and configSync() serve CommonJS code, with the same errors as load()", () => {
    const r = node(
      `const { loadSync, configSync } = require("sealenv");\n` +
        `const values = loadSync();\n` +
        `const before = process.env.DATABASE_URL ?? null;\n` +
        `configSync();\n` +
        `let error;\ntry { loadSync({ env: "nosuch" }); } catch (e) { error = { code: e.code, hint: Boolean(e.hint) }; }\n` +
        `console.log(JSON.stringify({ values, before, url: process.env.DATABASE_URL, error }));\n`,
      {},
      "sync.cjs",
    );
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({ values: { DATABASE_URL: "postgres://from-vault", PORT: "8080" }, before: null, url: "postgres://from-vault", error: { code: "not_found", hint: true } });
  });

  it("loadSync() runs its own worker, never a load-child.js in the current folder, from `node -e` too", () => {
    // `node -e` defines a global __dirname of "."; a planted worker would get the keys in its environment and choose the values.
    writeFileSync(path.join(consumer.dir, "load-child.js"), 'console.error("PLANTED " + process.env.VAULT_KEY); process.stdout.write(JSON.stringify({ secrets: { PORT: "planted" } }));\n');
    try {
      for (const script of [
        `console.log(JSON.stringify(require("sealenv").loadSync()))`,
        `import("sealenv").then((m) => console.log(JSON.stringify(m.loadSync())))`,
        `import("./node_modules/sealenv/dist/index.js").then((m) => console.log(JSON.stringify(m.loadSync())))`,
      ]) {
        const r = spawnSync(process.execPath, ["-e", script], { cwd: consumer.dir, encoding: "utf8", env: consumer.env });
        expect({ script, stderr: r.stderr, values: r.stdout && JSON.parse(r.stdout) }).toEqual({ script, stderr: "", values: { DATABASE_URL: "postgres://from-vault", PORT: "8080" } });
      }
    } finally {
      rmSync(path.join(consumer.dir, "load-child.js"));
    }
  });

  it("loadSync() bundled into an app refuses in one line, and never runs a load-child.js beside the bundle", () => {
    const out = path.join(consumer.dir, "build");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(consumer.dir, "bundled.cjs"), `console.log(JSON.stringify(require("sealenv").loadSync()));\n`);
    const built = spawnSync(path.join(ROOT, "node_modules", ".bin", "esbuild"), ["bundled.cjs", "--bundle", "--platform=node", "--outfile=build/app.cjs", "--log-level=error"], { cwd: consumer.dir, encoding: "utf8" });
    expect([built.status, built.stderr]).toEqual([0, ""]);
    writeFileSync(path.join(out, "load-child.js"), 'console.error("PLANTED " + process.env.VAULT_KEY); process.stdout.write(JSON.stringify({ secrets: { PORT: "planted" } }));\n');
    const r = spawnSync(process.execPath, [path.join(out, "app.cjs")], { cwd: consumer.dir, encoding: "utf8", env: consumer.env });
    expect(r.stderr).not.toContain("PLANTED");
    expect(r.stderr).toContain(`sealenv's loadSync() was bundled into ${path.join(out, "app.cjs")}`);
    expect([r.status, r.stdout]).toEqual([1, ""]);
  });

  it("without a key, the preloads stop the app with one line naming the code, and a hint; never a stack trace", () => {
    for (const [file, flags] of [
      ["app.cjs", ["-r", "sealenv/config"]],
      ["app.mjs", ["--import", "sealenv/config"]],
    ] as const) {
      const r = node('console.log("the app ran");\n', { VAULT_KEY: "" }, file, [...flags]);
      expect({ how: flags.join(" "), status: r.status, stdout: r.stdout }).toEqual({ how: flags.join(" "), status: 1, stdout: "" });
      const lines = r.stderr.trim().split("\n");
      expect(lines[0]).toMatch(/^sealenv: error \(no_key\): /);
      expect(lines[1]).toMatch(/^sealenv: hint: /);
      expect(lines).toHaveLength(2);
    }
  });

  it("exports the loader, its error class and nothing else, to ESM and CommonJS alike", () => {
    const r = node(
      `import * as esm from "sealenv";\nimport { createRequire } from "node:module";\n` +
        `const cjs = createRequire(import.meta.url)("sealenv");\n` +
        `let error;\ntry { cjs.loadSync({ env: "nosuch" }); } catch (e) { error = { cjs: e instanceof cjs.VaultError && cjs.isVaultError(e), esm: esm.isVaultError(e), code: e.code }; }\n` +
        `let sync;\ntry { esm.loadSync({ env: "nosuch" }); } catch (e) { sync = esm.isVaultError(e) && e instanceof esm.VaultError; }\n` +
        `console.log(JSON.stringify({ esm: Object.keys(esm).sort(), cjs: Object.keys(cjs).sort(), error, sync }));\n`,
    );
    expect(r.stderr).toBe("");
    expect(JSON.parse(r.stdout)).toEqual({
      esm: ["VaultError", "config", "configSync", "isVaultError", "load", "loadSync"],
      cjs: ["VaultError", "configSync", "isVaultError", "loadSync"],
      // Two builds, two classes: each module system's own test recognises its own error.
      error: { cjs: true, esm: false, code: "not_found" },
      sync: true,
    });
  });

  it("is typed", () => {
    writeFileSync(
      path.join(consumer.dir, "typed.ts"),
      [
        'import { load, type LoadOptions } from "sealenv";',
        'const options: LoadOptions = { env: "development", path: "secrets.vault" };',
        "export const secrets: Record<string, string> = await load(options);",
        "// @ts-expect-error env is a string",
        "await load({ env: 42 });",
        "",
      ].join("\n"),
    );
    const tsc = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "typed.ts"],
      { cwd: consumer.dir, encoding: "utf8" },
    );
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  });
});

