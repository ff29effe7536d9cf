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
  const config = driverConfig(options.self, options.diffValues, options.diffValues ? undefined : (cacheIdOf(root, options.self) ?? newCacheId()));
  let configChanged = false;
  let diffChanged = false;
  for (const [key, value] of config) {
    if (readConfig(root, key) !== value) {
      git(["config", "--local", key, value], root);
      configChanged = true;
      if (key.startsWith("diff.")) diffChanged = true;
    }
  }
  if (configChanged) changed.push("git config (diff and merge drivers)");
  // A cache made under another setup must not outlive it: one of values would keep them,
  // one of fingerprints would be stale. With values shown there is never one.
  if ((diffChanged || options.diffValues) && dropTextconvCache(root)) changed.push(`git's textconv cache (${TEXTCONV_CACHE}, deleted)`);
  const ignoredPlaintext = addLines(path.join(root, ".gitignore"), IGNORED_PLAINTEXT, "# sealenv: plaintext secrets never belong in git");
  const ignoredTransient = addLines(path.join(root, ".gitignore"), IGNORED_TRANSIENT, "# sealenv: a write's lock and temp files");
  if (ignoredPlaintext || ignoredTransient) changed.push(".gitignore");
  return changed;
}

const mergeDriver = (self: string) => `${self} git merge %O %A %B %P`;

/** Where git keeps textconv output when `diff.sealenv.cachetextconv` is on: git notes, one per blob. */
export const TEXTCONV_CACHE = "refs/notes/textconv/sealenv";

/**
 * The drivers' settings. git caches textconv output in notes (TEXTCONV_CACHE) when asked,
 * which makes `git log -p` start sealenv once per blob ever, not on every run: on for
 * masked diffs (names and keyed fingerprints, nothing a reader of the file could not
 * already learn), and explicitly off with values shown, overriding a global setting, since
 * the notes would keep plaintext in .git, for anyone who copies or mirror-pushes it.
 *
 * git trusts a cached note when the note's commit names the same textconv command, so the
 * masked command carries `--cache ID`, random for this repository (and ignored by the
 * textconv itself): notes someone else made, fetched from a remote, name another command
 * and are never shown as this vault's diff.
 */
function driverConfig(self: string, diffValues: boolean, cacheId?: string): [string, string][] {
  return [
    ["diff.sealenv.textconv", `${self} git textconv${diffValues ? " --values" : ` --cache ${cacheId}`}`],
    ["diff.sealenv.cachetextconv", diffValues ? "false" : "true"],
    ["merge.sealenv.name", "sealenv per-secret merge"],
    ["merge.sealenv.driver", mergeDriver(self)],
  ];
}

// The global Web Crypto, reached only when an id is made: node:crypto at the top of this
// module cost 4 ms of every git textconv run, which loads it without making one.
const newCacheId = () => Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(12))).toString("hex");

/** The cache id the repository's masked textconv command carries already, kept across runs of setup. */
function cacheIdOf(root: string, self: string): string | undefined {
  const textconv = readConfig(root, "diff.sealenv.textconv");
  const prefix = `${self} git textconv --cache `;
  const id = textconv?.startsWith(prefix) ? textconv.slice(prefix.length) : undefined;
  return id && /^[0-9a-f]{24}$/.test(id) ? id : undefined;
}

/** Deletes git's textconv cache for the driver (the ref and its reflog); true when there was one. */
function dropTextconvCache(root: string): boolean {
  if (!hasTextconvCache(root)) return false;
  git(["update-ref", "-d", TEXTCONV_CACHE], root);
  return true;
}

export function hasTextconvCache(root: string): boolean {
  return git(["for-each-ref", "--format=%(refname)", TEXTCONV_CACHE], root).trim() !== "";
}

/**
 * A remote whose fetch refspec writes into the textconv cache: what it sends is shown as
 * the vault's diff without sealenv ever reading the file, so a hostile remote could hide a
 * planted slot from review. Undefined when no remote does.
 */
export function remoteFeedingCache(root: string): string | undefined {
  let listed: string;
  try {
    listed = git(["config", "--get-regexp", "^remote\\..*\\.fetch$"], root);
  } catch {
    return undefined; // no remote
  }
  for (const line of listed.split("\n").filter(Boolean)) {
    const [key = "", spec = ""] = line.split(" ");
    const target = spec.slice(spec.indexOf(":") + 1);
    const pattern = new RegExp(`^${target.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    if (spec.includes(":") && pattern.test(TEXTCONV_CACHE)) return key.replace(/^remote\.|\.fetch$/g, "");
  }
  return undefined;
}

export interface DriverState {
  state: "missing" | "outdated" | "current";
  /** The diff driver shows plaintext values (set up with --diff-values). */
  diffValues: boolean;
}

/** For `vault doctor`: are the drivers registered as this same sealenv would set them up, in the mode they are in? */
export function driverState(root: string, self: string): DriverState {
  const textconv = readConfig(root, "diff.sealenv.textconv");
  const diffValues = textconv?.endsWith(" --values") ?? false;
  if (readConfig(root, "merge.sealenv.driver") === undefined) return { state: "missing", diffValues };
  const current = driverConfig(self, diffValues, cacheIdOf(root, self)).every(([key, value]) => readConfig(root, key) === value);
  return { state: current ? "current" : "outdated", diffValues };
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
