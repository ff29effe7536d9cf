import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parse } from "dotenv";
import { workspace } from "./cli.js";

/** The real dotenvx CLI (the dev dependency), run by node as its bin entry runs it. */
const DOTENVX = path.join(path.dirname(createRequire(import.meta.url).resolve("@dotenvx/dotenvx/package.json")), "src/cli/dotenvx.js");

/** Files dotenvx encrypted, in a folder of their own, with the private keys it wrote to .env.keys. */
export interface DotenvxFiles {
  dir: string;
  /** The private keys by name, as .env.keys holds them. */
  keys: Record<string, string>;
}

/**
 * Writes each plaintext file into a new workspace (a temp folder with a HOME of its own, so
 * no keychain or account is touched; removed as workspaces are) and has the real dotenvx
 * encrypt it in place: `dotenvx encrypt -f FILE`, which writes the keys to .env.keys.
 */
export function encryptWithDotenvx(files: Record<string, string>): DotenvxFiles {
  const w = workspace();
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(path.join(w.dir, name), text);
    const r = spawnSync(process.execPath, [DOTENVX, "encrypt", "-f", name], { cwd: w.dir, env: w.env, encoding: "utf8" });
    if (r.status !== 0) throw new Error(`dotenvx encrypt ${name} failed: ${r.stderr}`);
  }
  return { dir: w.dir, keys: parse(readFileSync(path.join(w.dir, ".env.keys"), "utf8")) };
}
