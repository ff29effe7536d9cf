import { git, gitBytes } from "./repo.js";

export interface Blob {
  /** The path the content was found at. */
  path: string;
  sha: string;
  content: Buffer;
}

/**
 * Reads objects through one `git cat-file --batch`, whatever their number. `specs` are
 * object names git understands (`:path` for the index, a sha for history).
 */
function catFile(cwd: string, specs: string[]): (Buffer | undefined)[] {
  if (specs.length === 0) return [];
  const out = gitBytes(["cat-file", "--batch"], cwd, specs.join("\n") + "\n");
  const result: (Buffer | undefined)[] = [];
  let at = 0;
  for (let i = 0; i < specs.length; i++) {
    const eol = out.indexOf(10, at);
    const header = out.subarray(at, eol).toString("utf8");
    at = eol + 1;
    if (header.endsWith(" missing") || header.endsWith(" ambiguous")) {
      result.push(undefined);
      continue;
    }
    const size = Number(header.split(" ")[2]);
    result.push(out.subarray(at, at + size));
    at += size + 1;
  }
  return result;
}

/** Files a commit would add or change, with their staged content. */
export function stagedBlobs(cwd: string): Blob[] {
  const paths = git(["diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR"], cwd).split("\0").filter(Boolean);
  const contents = catFile(cwd, paths.map((p) => `:${p}`));
  return paths.flatMap((p, i) => (contents[i] ? [{ path: p, sha: `:${p}`, content: contents[i] }] : []));
}

/** Every file version reachable from any ref, each distinct content once, with readers by id. */
export function historyVersions(cwd: string) {
  return {
    versions: historyBlobIds(cwd).map((b) => ({ id: b.sha, path: b.path })),
    read: (ids: string[]) => catFile(cwd, ids),
    commitOf: (id: string) => commitWithBlob(cwd, id),
  };
}

function historyBlobIds(cwd: string): { sha: string; path: string }[] {
  const lines = git(["rev-list", "--all", "--objects"], cwd).split("\n").filter(Boolean);
  const candidates = lines.map((l) => ({ sha: l.slice(0, l.indexOf(" ") < 0 ? undefined : l.indexOf(" ")), path: l.indexOf(" ") < 0 ? "" : l.slice(l.indexOf(" ") + 1) }));
  const withPath = candidates.filter((c) => c.path !== "");
  const types = git(["cat-file", "--batch-check=%(objecttype)"], cwd, withPath.map((c) => c.sha).join("\n") + "\n").split("\n");
  const seen = new Set<string>();
  return withPath.filter((c, i) => {
    if (types[i] !== "blob" || seen.has(c.sha)) return false;
    seen.add(c.sha);
    return true;
  });
}

/** The commit that first added the blob (it also shows in the commit that removed it). */
function commitWithBlob(cwd: string, sha: string): string | undefined {
  const commits = git(["log", "--all", "--format=%h", `--find-object=${sha}`], cwd).trim().split("\n").filter(Boolean);
  return commits[commits.length - 1];
}
