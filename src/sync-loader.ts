/**
 * `loadSync()` and `configSync()`: the loader for CommonJS code (`require("sealenv")`,
 * `node -r sealenv/config`), which cannot await. Opening a vault needs libsodium's
 * WebAssembly, which only loads asynchronously, so the work runs in a child Node process
 * (load-child.js) and this waits for it: the same key sources and checks as `load()`,
 * about one Node start-up slower.
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { VaultError, type ErrorCode } from "./errors.js";

// CommonJS users get the error class and its test from here (require("sealenv")), as ESM users from index.js.
export { VaultError, isVaultError } from "./errors.js";

// Built twice: as CommonJS (dist/sync-loader.cjs, for require; the bundle gives import.meta.url
// from the module's own __filename) and as ESM (for `import { loadSync }`). Never a global
// __dirname: `node -e` defines one as ".", which would run a load-child.js from the current folder.
const self = fileURLToPath(import.meta.url);

/**
 * The worker, beside this module in sealenv's own dist folder. Bundled into someone's
 * app, this module's folder is the bundle's, where anyone who can write to the project
 * could have put a load-child.js: refused, unless this file is one of sealenv's own, in a
 * package named sealenv.
 */
function worker(): string {
  const dist = path.dirname(self);
  let name: unknown;
  try {
    name = (JSON.parse(readFileSync(path.join(dist, "..", "package.json"), "utf8")) as { name?: unknown }).name;
  } catch {
    name = undefined;
  }
  if (!OWN_FILES.includes(path.basename(self)) || name !== "sealenv") {
    throw new VaultError(
      "usage",
      `sealenv's loadSync() was bundled into ${self}: it runs its worker only from sealenv's own package`,
      "leave sealenv out of the bundle (esbuild: --external:sealenv; webpack: externals)",
    );
  }
  return path.join(dist, "load-child.js");
}

/** The files of sealenv's dist folder that hold this module. */
const OWN_FILES = ["sync-loader.js", "sync-loader.cjs", "config-sync.cjs"];

export interface SyncLoadOptions {
  /** The environment (default: VAULT_ENV, then the vault's default). */
  env?: string;
  /** The vault file (default: VAULT_FILE, then the nearest secrets.vault). */
  path?: string;
  /** Where the search for secrets.vault starts (default: the current folder). */
  cwd?: string;
  /** Read an environment older than one this machine verified (bisecting). */
  allowRollback?: boolean;
}

export interface SyncConfigOptions extends SyncLoadOptions {
  /** Let vault values replace variables already set (dotenv's `override`). */
  override?: boolean;
}

type Answer = { secrets: Record<string, string> } | { error: { code: ErrorCode | "bug"; message: string; hint?: string } };

/**
 * `load()`, synchronously: the secrets of one environment as `{ NAME: value }`; process.env
 * untouched; never prompts. Throws the VaultError `load()` would reject with (same `code`
 * and `hint`); any other error is a bug.
 */
export function loadSync(options: SyncLoadOptions = {}): Record<string, string> {
  const { env, path: file, cwd, allowRollback } = options;
  const request = { ...(env === undefined ? {} : { env }), ...(file === undefined ? {} : { path: path.resolve(file) }), cwd: path.resolve(cwd ?? process.cwd()), ...(allowRollback ? { allowRollback } : {}) };
  const r = spawnSync(process.execPath, [worker()], {
    input: JSON.stringify(request),
    cwd: request.cwd,
    encoding: "utf8",
    stdio: ["pipe", "pipe", "inherit"],
    maxBuffer: 1024 * 1024 * 1024,
  });
  let answer: Answer | undefined;
  try {
    answer = JSON.parse(r.stdout) as Answer;
  } catch {
    answer = undefined;
  }
  if (!isAnswer(answer)) throw new Error(`sealenv's loader worker failed (${r.error?.message ?? `exit ${r.status}`}): this is a bug in sealenv; please report it`);
  if (!("error" in answer)) return answer.secrets;
  const { code, message, hint } = answer.error;
  if (code === "bug") throw new Error(`sealenv: ${message}: this is a bug in sealenv; please report it`);
  throw new VaultError(code, message, hint);
}

function isAnswer(a: unknown): a is Answer {
  if (typeof a !== "object" || a === null) return false;
  if ("error" in a) return typeof a.error === "object" && a.error !== null && typeof (a.error as { message?: unknown }).message === "string";
  return "secrets" in a && typeof a.secrets === "object" && a.secrets !== null && Object.values(a.secrets).every((v) => typeof v === "string");
}

/** `config()`, synchronously: fills `process.env`, variables already set winning unless `override`; throws as `loadSync()`, before setting anything. */
export function configSync(options: SyncConfigOptions = {}): Record<string, string> {
  const secrets = loadSync(options);
  for (const [name, value] of Object.entries(secrets)) {
    if (options.override || !Object.hasOwn(process.env, name)) process.env[name] = value;
  }
  return secrets;
}
