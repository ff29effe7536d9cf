// Bundles the CLI into a few files: Node's ESM loader pays per module file, and a
// start-up spent resolving 50 small files is time `vault run` adds to every command it
// wraps. Commands stay in their own chunks, loaded only when they run. libsodium and the
// native keychain binding stay external: they are loaded as they ship.
import { readFileSync, rmSync } from "node:fs";
import { build } from "esbuild";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));

rmSync(new URL("../dist/bin", import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist/bin",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["libsodium-wrappers-sumo", "sodium-native", "@napi-rs/keyring", "@inquirer/prompts"],
  define: { SEALENV_VERSION: JSON.stringify(pkg.version) },
  // commander and cross-spawn are CommonJS; give their require() calls a real require.
  banner: { js: 'import { createRequire as __sealenvRequire } from "node:module"; const require = __sealenvRequire(import.meta.url);' },
  chunkNames: "chunks/[name]-[hash]",
  minifySyntax: true,
  minifyWhitespace: true,
  logLevel: "warning",
});

// The hot path in one CommonJS file (see src/cli/start.ts): bin/vault.js requires it, and it
// hands anything else to dist/bin/cli.js. Packages that are ESM-only or loaded only off the
// hot path stay outside, imported when needed.
await build({
  entryPoints: { start: "src/cli/start.ts" },
  outdir: "dist/bin",
  outExtension: { ".js": ".cjs" },
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  external: ["libsodium-wrappers-sumo", "sodium-native", "@napi-rs/keyring", "@inquirer/prompts", "age-encryption", "commander", "./program.js"],
  define: { SEALENV_VERSION: JSON.stringify(pkg.version), "import.meta.url": "__sealenvModuleUrl" },
  banner: { js: 'const __sealenvModuleUrl = require("node:url").pathToFileURL(__filename).href;' },
  minifySyntax: true,
  minifyWhitespace: true,
  logLevel: "warning",
});

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
  logLevel: "error",
});
