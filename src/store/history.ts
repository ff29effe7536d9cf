import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { gitDirsAt, repositoryRootOf, type GitDirs } from "../git/dirs.js";
import { spawnGit } from "../git/spawn.js";
import { vaultLocation } from "./known-vaults.js";

/** One committed version of a vault file: the commit, the path it had there, its text. */
export interface CommittedVersion {
  commit: string;
  path: string;
  text: string;
}

/**
 * A vault file's git history, asked on the first open at a location and again only after
 * HEAD moved, to learn what the history says before trusting what the file says. Looks
 * for `.git` before starting any git, so a vault outside a repository costs no process.
 */
export interface VaultHistory {
  /** The vault file's path in the repository, as git names it. */
  path: string;
  /**
   * Versions committed reachable from HEAD (only those not reachable from `since`, when
   * given), oldest first: of this path, and of every other path a vault could have lived
   * at (any `*.vault`, or a file of this one's name), so a vault moved with `git mv`, or
   * deleted and added elsewhere, keeps its history. The caller keeps what speaks for it.
   */
  versions(since?: string): CommittedVersion[];
  /** The commits reachable from HEAD that descend from `commit` (itself included). */
  descendantsOf(commit: string): Set<string>;
  /** The commits `commit` descends from (itself included); empty if it is gone. */
  ancestorsOf(commit: string): Set<string>;
  /** Whether `commit` is still in the history reachable from HEAD (a force-push can take it away). */
  reaches(commit: string): boolean;
  /** Per commit, per parent, the texts at `paths` there (undefined where that parent has no such file). */
  parentTexts(commits: readonly string[], paths: readonly string[]): Map<string, (string | undefined)[][]>;
}

export function vaultHistory(file: string): VaultHistory | undefined {
  const real = vaultLocation(file);
  const root = repositoryRoot(real);
  if (root === undefined) return undefined;
  // Asked where the `.git` is, not in the vault's folder: a folder on the way holding a
  // committed HEAD, objects/ and refs/ would otherwise be the repository git finds.
  const found = run(["rev-parse", "--show-toplevel"], root);
  if (found === undefined) return undefined;
  const top = found.toString("utf8").trim();
  const relative = path.relative(top, real).split(path.sep).join("/");
  const git = (args: string[], input?: string) => run(args, top, input);
  // A commit no longer there (a rewritten branch, a gc) cannot bound a walk: take it all.
  const range = (since?: string) => (since && git(["cat-file", "-e", `${since}^{commit}`]) !== undefined ? `${since}..HEAD` : "HEAD");
  return {
    path: relative,
    versions(since) {
      const specs = [literalPath(relative), ":(glob)**/*.vault", `:(glob)**/${globLiteral(path.posix.basename(relative))}`];
      // --full-history: git's default simplification skips a side of a merge that did not
      // change the path, and with it a removal a merge would hide; -m: a file changed while
      // resolving a merge; --no-renames: a move as its two sides.
      // --raw names each version's blob: read by id, which costs the same whatever the size
      // of the tree (a path costs a scan of its folder, and anyone can commit a folder of 80,000).
      const out = git(["log", "-z", "--format=%x01%H", "--reverse", "--topo-order", "--full-history", "-m", "--no-renames", "--raw", "--no-abbrev", range(since), "--", ...specs]);
      const wanted: { commit: string; path: string; blob: string }[] = [];
      const seen = new Set<string>();
      let commit = "";
      let blob: string | undefined;
      for (const token of out?.toString("utf8").split("\0") ?? []) {
        const field = token.replace(/^\n/, "");
        if (field.startsWith("\x01")) commit = field.slice(1);
        else if (field.startsWith(":")) blob = field.split(" ")[3];
        else if (blob !== undefined) {
          // A deletion names no blob (all zeros): nothing to read.
          if (commit !== "" && !/^0+$/.test(blob) && !seen.has(`${commit}:${field}`)) {
            seen.add(`${commit}:${field}`);
            wanted.push({ commit, path: field, blob });
          }
          blob = undefined;
        }
      }
      const blobs = [...new Set(wanted.map((w) => w.blob))];
      const read = readBlobs(git, blobs);
      const textOf = new Map(blobs.map((b, i) => [b, read[i]]));
      const texts = wanted.map((w) => textOf.get(w.blob));
      return wanted.flatMap((w, i) => (texts[i] === undefined ? [] : [{ commit: w.commit, path: w.path, text: texts[i] }]));
    },
    descendantsOf(commit) {
      const out = git(["rev-list", "--ancestry-path", `${commit}..HEAD`]);
      return new Set([commit, ...(out?.toString("utf8").split("\n").filter(Boolean) ?? [])]);
    },
    ancestorsOf(commit) {
      const out = git(["rev-list", commit]);
      return new Set(out?.toString("utf8").split("\n").filter(Boolean) ?? []);
    },
    reaches(commit) {
      return git(["merge-base", "--is-ancestor", commit, "HEAD"]) !== undefined;
    },
    parentTexts(commits, paths) {
      const out = new Map<string, (string | undefined)[][]>();
      if (commits.length === 0) return out;
      const listed = git(["rev-list", "--no-walk", "--parents", ...new Set(commits)])?.toString("utf8") ?? "";
      const parentsOf = new Map(listed.split("\n").filter(Boolean).map((line) => { const [c, ...ps] = line.split(" "); return [c as string, ps]; }));
      const wanted = [...parentsOf.values()].flatMap((ps) => ps.flatMap((p) => paths.map((path) => `${p}:${path}`)));
      const texts = readBlobs(git, wanted);
      const byRequest = new Map(wanted.map((w, i) => [w, texts[i]]));
      for (const [c, ps] of parentsOf) out.set(c, ps.map((p) => paths.map((path) => byRequest.get(`${p}:${path}`))));
      return out;
    },
  };
}

/** Far above any real vault (10,000 secrets are a few MB); a larger blob at a vault's path is not one, and is not read. */
const MAX_VERSION_BYTES = 64 * 1024 * 1024;
/** What one `git cat-file --batch` may return at once, so planted blobs cannot exhaust memory. */
const MAX_BATCH_BYTES = 256 * 1024 * 1024;

/**
 * The texts of `specs` (blob ids, or `commit:path`), undefined where there is no such file or it is too
 * large to be a vault. Sizes are asked first (`--batch-check`), then the blobs in batches of
 * bounded size: a history holding a huge or many large files at vault paths (anyone can
 * commit one) costs time in proportion, never a crash or a walk that silently learns nothing.
 */
function readBlobs(git: (args: string[], input?: string) => Buffer | undefined, specs: string[]): (string | undefined)[] {
  const out: (string | undefined)[] = specs.map(() => undefined);
  if (specs.length === 0) return out;
  const checked = git(["cat-file", "--batch-check=%(objecttype) %(objectsize)"], specs.join("\n") + "\n")?.toString("utf8").split("\n") ?? [];
  const readable = specs.flatMap((_, i) => {
    const [type, size] = (checked[i] ?? "").split(" ");
    return type === "blob" && Number(size) <= MAX_VERSION_BYTES ? [{ i, size: Number(size) }] : [];
  });
  for (let start = 0; start < readable.length; ) {
    let end = start;
    let bytes = 0;
    while (end < readable.length && (end === start || bytes + readable[end]!.size <= MAX_BATCH_BYTES)) bytes += readable[end++]!.size;
    const chunk = readable.slice(start, end);
    const batch = git(["cat-file", "--batch"], chunk.map((r) => specs[r.i]).join("\n") + "\n");
    const texts = batch ? splitBatch(batch, chunk.length) : [];
    chunk.forEach((r, j) => (out[r.i] = texts[j]));
    start = end;
  }
  return out;
}

/** A path given to git as itself, never as a pattern (`:(literal)` magic). */
const literalPath = (p: string) => `:(literal)${p}`;
/** A file name inside a glob pathspec, its own wildcard characters escaped. */
const globLiteral = (name: string) => name.replace(/[*?[\]\\]/g, (c) => `\\${c}`);

/** The folder holding `.git` above a vault file (by looking, not by running git), or undefined. */
export function repositoryRoot(file: string): string | undefined {
  return repositoryRootOf(path.dirname(vaultLocation(file)));
}

/**
 * The commit HEAD points at, read from `.git` without starting git (it is asked on every
 * open): a loose ref, a packed one, a detached HEAD, or a worktree's. Undefined when it
 * cannot be told; the caller then just does not look at history again.
 */
export function headCommit(file: string): string | undefined {
  const dirs = gitDirs(file);
  if (dirs === undefined) return undefined;
  try {
    const { gitDir, common } = dirs;
    const head = readFileSync(path.join(gitDir, "HEAD"), "utf8").trim();
    if (/^[0-9a-f]{40,64}$/.test(head)) return head;
    const ref = /^ref:\s*(\S+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    for (const dir of [gitDir, common]) {
      const loose = path.join(dir, ref);
      if (existsSync(loose)) return readFileSync(loose, "utf8").trim();
    }
    const packed = path.join(common, "packed-refs");
    if (!existsSync(packed)) return undefined;
    const line = readFileSync(packed, "utf8").split("\n").find((l) => l.endsWith(` ${ref}`));
    return line?.split(" ")[0];
  } catch {
    return undefined;
  }
}

/** A clone made with --depth: its history stops short, so it cannot vouch for the file. */
export function isShallowClone(file: string): boolean {
  const dirs = gitDirs(file);
  return dirs !== undefined && existsSync(path.join(dirs.common, "shallow"));
}

/** The repository's git folder (a worktree's own) and the folder its refs are shared in. */
function gitDirs(file: string): GitDirs | undefined {
  const root = repositoryRoot(file);
  return root === undefined ? undefined : gitDirsAt(root);
}

function run(args: string[], cwd: string, input?: string): Buffer | undefined {
  const r = spawnGit(args, cwd, input);
  return r?.status === 0 ? r.stdout : undefined;
}

/** `git cat-file --batch` output, one entry per request: a header line, then the bytes and a newline; undefined where missing. */
function splitBatch(out: Buffer, count: number): (string | undefined)[] {
  const texts: (string | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < count && at < out.length; i++) {
    const eol = out.indexOf(10, at);
    const header = out.subarray(at, eol).toString("utf8");
    at = eol + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      texts.push(undefined);
      continue;
    }
    const size = Number(header.split(" ")[2]);
    texts.push(out.subarray(at, at + size).toString("utf8"));
    at += size + 1;
  }
  return texts;
}
