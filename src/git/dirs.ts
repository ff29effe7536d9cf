import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/**
 * Where a repository keeps its files, read from `.git` without starting git: git costs a
 * process (~20 ms), and `vault set` or `vault run` only need to know whether a file is
 * there. What git alone can settle (safe.directory, GIT_DIR, ceilings) is left to git:
 * callers that find something here ask git before relying on it.
 */
export interface GitDirs {
  /** The work tree's top: the folder holding `.git`. */
  root: string;
  /** This work tree's own git folder (a linked worktree's or a submodule's, from `gitdir:`). */
  gitDir: string;
  /** The folder refs and objects are shared in (`commondir`), the git folder itself otherwise. */
  common: string;
}

/** The nearest folder at or above `dir` that holds a `.git` (a folder, or a `gitdir:` file), or undefined. */
export function repositoryRootOf(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    if (existsSync(path.join(d, ".git"))) return d;
    if (path.dirname(d) === d) return undefined;
  }
}

/** The git folders of the work tree whose top is `root`; undefined when `.git` there cannot be read. */
export function gitDirsAt(root: string): GitDirs | undefined {
  try {
    const dotGit = path.join(root, ".git");
    const gitDir = statSync(dotGit).isFile() ? path.resolve(root, readFileSync(dotGit, "utf8").replace(/^gitdir:\s*/, "").trim()) : dotGit;
    const common = existsSync(path.join(gitDir, "commondir")) ? path.resolve(gitDir, readFileSync(path.join(gitDir, "commondir"), "utf8").trim()) : gitDir;
    return { root, gitDir, common };
  } catch {
    return undefined;
  }
}
