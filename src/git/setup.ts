import { closeSync, existsSync, fchmodSync, openSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { git, requireWorkTree } from "./repo.js";

/** Files that hold secrets in plaintext and must never be committed next to the vault. */
const IGNORED_PLAINTEXT = [".env", ".env.*", "!.env.example", "!.env.sample", "!.env.template", "*.sealenv-key"];
/** A write's lock and temp files: one committed by someone would block every write. */
const IGNORED_TRANSIENT = ["*.vault.lock", "*.vault.lock.break", ".*.vault.*.tmp"];

export interface SetupOptions {
  /** How git should start sealenv (see cli/self.ts: found on PATH at run time). */
  self: string;
  vaultFile: string;
  /** Show plaintext values in `git diff` for those who hold the key. */
  diffValues: boolean;
}

/**
 * Makes the repository treat the vault as sealenv's: a diff driver that shows names and
 * fingerprints, a merge driver that merges per secret, and ignore rules for plaintext.
 * Idempotent: returns what it changed, nothing on a second run.
 */
export function setupRepository(cwd: string, options: SetupOptions): string[] {
  const root = requireWorkTree(cwd);
  const changed: string[] = [];
  const relative = path.relative(root, options.vaultFile).split(path.sep).join("/");
  if (addLines(path.join(root, ".gitattributes"), [`/${relative} diff=sealenv merge=sealenv`], "# sealenv: readable diffs and per-secret merges of the vault")) {
    changed.push(".gitattributes");
  }
  const textconv = `${options.self} git textconv${options.diffValues ? " --values" : ""}`;
  const config: [string, string][] = [
    ["diff.sealenv.textconv", textconv],
    ["merge.sealenv.name", "sealenv per-secret merge"],
    ["merge.sealenv.driver", mergeDriver(options.self)],
  ];
  let configChanged = false;
  for (const [key, value] of config) {
    if (readConfig(root, key) !== value) {
      git(["config", "--local", key, value], root);
      configChanged = true;
    }
  }
  if (configChanged) changed.push("git config (diff and merge drivers)");
  const ignoredPlaintext = addLines(path.join(root, ".gitignore"), IGNORED_PLAINTEXT, "# sealenv: plaintext secrets never belong in git");
  const ignoredTransient = addLines(path.join(root, ".gitignore"), IGNORED_TRANSIENT, "# sealenv: a write's lock and temp files");
  if (ignoredPlaintext || ignoredTransient) changed.push(".gitignore");
  return changed;
}

const mergeDriver = (self: string) => `${self} git merge %O %A %B %P`;

/** For `vault doctor`: are the drivers registered, and do they start this same sealenv? */
export function driverState(root: string, self: string): "missing" | "outdated" | "current" {
  const driver = readConfig(root, "merge.sealenv.driver");
  if (driver === undefined) return "missing";
  return driver === mergeDriver(self) ? "current" : "outdated";
}

function readConfig(root: string, key: string): string | undefined {
  try {
    return git(["config", "--local", "--get", key], root).replace(/\n$/, "");
  } catch {
    return undefined;
  }
}

/** Appends the lines a file lacks, under a comment; true when it wrote anything. */
function addLines(file: string, lines: string[], comment: string): boolean {
  const exists = existsSync(file);
  const text = exists ? readFileSync(file, "utf8") : "";
  const present = new Set(text.split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter((l) => !present.has(l));
  if (missing.length === 0) return false;
  const prefix = text === "" || text.endsWith("\n") ? text : `${text}\n`;
  const block = present.has(comment) ? missing : [comment, ...missing];
  const next = `${prefix}${prefix ? "\n" : ""}${block.join("\n")}\n`;
  if (exists) writeFileSync(file, next); // an existing file keeps its mode
  else createShared(file, next);
  return true;
}

/**
 * Creates a file that holds no secret and that everyone working in the repository must
 * read: 0644 whatever the umask. Under `umask 077` open() alone would make it 0600, and
 * git run as another user (a CI runner, a container build) would silently ignore it.
 */
function createShared(file: string, text: string): void {
  const fd = openSync(file, "wx", 0o644);
  try {
    fchmodSync(fd, 0o644);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}
