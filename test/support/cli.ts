import { spawn, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = path.join(ROOT, "bin/vault.js");
export const PASSPHRASE = "correct horse battery staple";

export interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Workspace {
  dir: string;
  home: string;
  /** The path of secrets.vault in `dir`. */
  vaultFile: string;
  /** The environment `vault` runs with here (HOME, PATH, and any key given). */
  env: NodeJS.ProcessEnv;
  /** Runs the real `vault` binary here, with its own HOME and no TTY. */
  vault(args: string[], options?: { input?: string | Buffer; env?: Record<string, string | undefined>; cwd?: string; bin?: string }): Result;
  file(name?: string): string;
  snapshot(): Record<string, string>;
  cleanup(): void;
}

/** Temp folders made outside a test (at load, in beforeAll): removed when the file ends. */
const fileRoots: string[] = [];
/** Temp folders made during the running test, once beginTestWorkspaces was called: removed when it ends. */
let testRoots: string[] | undefined;

/** A temp folder with a HOME of its own and an environment that holds no key or bus. */
export function workspace(extraEnv: Record<string, string | undefined> = {}): Workspace {
  const root = mkdtempSync(path.join(tmpdir(), "sealenv-test-"));
  (testRoots ?? fileRoots).push(root);
  const dir = path.join(root, "project");
  const home = path.join(root, "home");
  spawnSync("mkdir", ["-p", dir, home]);
  // sealenv installed on this machine's PATH, as git's drivers and the hook expect to find it.
  const bin = path.join(root, "bin");
  mkdirSync(bin);
  writeFileSync(path.join(bin, "sealenv"), `#!/bin/sh\nexec '${process.execPath}' '${BIN}' "$@"\n`);
  chmodSync(path.join(bin, "sealenv"), 0o755);
  const baseEnv = (): NodeJS.ProcessEnv => ({
    PATH: `${bin}:${process.env.PATH}`,
    HOME: home,
    CI: "true",
    LANG: "C.UTF-8",
    ...extraEnv,
  });
  return {
    dir,
    home,
    vaultFile: path.join(dir, "secrets.vault"),
    env: baseEnv(),
    vault(args, options = {}) {
      const env = { ...baseEnv(), ...options.env };
      for (const [k, v] of Object.entries(env)) if (v === undefined) delete env[k];
      const r = spawnSync(process.execPath, [options.bin ?? BIN, ...args], {
        cwd: options.cwd ?? dir,
        env,
        input: options.input ?? "",
        encoding: "utf8",
        maxBuffer: 16 * 1024 * 1024,
      });
      return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
    },
    file(name = "secrets.vault") {
      return readFileSync(path.join(dir, name), "utf8");
    },
    snapshot() {
      const out: Record<string, string> = {};
      for (const name of readdirSync(dir)) {
        const p = path.join(dir, name);
        out[name] = statSync(p).isFile() ? readFileSync(p, "utf8") : "<dir>";
      }
      return out;
    },
    cleanup() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** From now until endTestWorkspaces, workspaces belong to the running test. */
export function beginTestWorkspaces(): void {
  testRoots = [];
}

/** Removes the workspaces the running test made. */
export function endTestWorkspaces(): void {
  for (const root of testRoots?.splice(0) ?? []) rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  testRoots = undefined;
}

/** Removes every workspace still there. */
export function cleanupAll(): void {
  endTestWorkspaces();
  for (const root of fileRoots.splice(0)) rmSync(root, { recursive: true, force: true, maxRetries: 5 });
}

/** Runs the binary asynchronously, for concurrency and signal tests. */
export function vaultAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv, input = "") {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  child.stdin.end(input);
  const done = new Promise<Result>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}
