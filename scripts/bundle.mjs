// Bundles the CLI into two CommonJS files: Node's CommonJS loader reads a file at once,
// where its ESM loader reads and links module files one by one (30-40 ms of a start).
// dist/bin/start.cjs holds only what `vault run`, `vault get` and git's textconv need in
// their usual shapes (src/cli/start.ts); dist/bin/cli.cjs the whole CLI, each command
// initialised only when it runs. libsodium, the native keychain binding and packages that
// only some commands use stay outside, loaded where they are needed.
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

rmSync(new URL("../dist/bin", import.meta.url), { recursive: true, force: true });

const cli = {
  outdir: "dist/bin",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  define: { SEALENV_VERSION: JSON.stringify(pkg.version), "import.meta.url": "__sealenvModuleUrl" },
  banner: { js: 'const __sealenvModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  minifySyntax: true,
  minifyWhitespace: true,
  logLevel: "warning",
};
const loadedWhenNeeded = ["libsodium-wrappers-sumo", "sodium-native", "@napi-rs/keyring", "@inquirer/prompts", "age-encryption", "yaml", "eciesjs", "dotenv"];

await build({ ...cli, entryPoints: { cli: "src/cli/main.ts" }, external: loadedWhenNeeded });
// The hot path never reaches commander or the full program: left out, not bundled twice.
await build({ ...cli, entryPoints: { start: "src/cli/start.ts" }, external: [...loadedWhenNeeded, "commander", "./program.js"] });

// CommonJS for `require("sealenv")` and `node -r sealenv/config`: the synchronous loader,
// which hands the work to dist/load-child.js (ESM) in a child process.
await build({
  entryPoints: { "sync-loader": "src/sync-loader.ts", "config-sync": "src/config-sync.ts" },
  outdir: "dist",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  define: cli.define,
  banner: cli.banner,
  logLevel: "error",
});
