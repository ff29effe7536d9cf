import { chmodSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { VaultError } from "../errors.js";
import { writeAtomic } from "./file.js";

/** Reads a file only its owner may read; undefined when absent. */
export function readPrivateFile(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new VaultError("io", `cannot read ${file}`, "check its permissions");
  }
}

/** Writes a file holding key material: 0600 in a 0700 folder, replaced atomically. */
export function writePrivateFile(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeAtomic(file, text, { mode: 0o600 });
  chmodSync(file, 0o600);
}
