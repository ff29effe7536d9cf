import { existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gitDirsAt, repositoryRootOf } from "./dirs.js";
import { gitPath } from "./repo.js";

/**
 * What an unfinished vault merge left for `vault resolve`: their side of the file and the
 * conflicts still open. Kept inside .git, never in the work tree, so it is never committed.
 * The conflicts are the domain's; git only keeps them.
 */
export interface MergeState<Conflict> {
  vaultFile: string;
  theirs: string;
  conflicts: Conflict[];
}

const NAME = "sealenv-merge.json";

function stateFile(vaultFile: string): string {
  return gitPath(path.dirname(vaultFile), NAME);
}

/**
 * The state file of an unfinished merge, or undefined when there is none. Every `vault set`
 * asks, so `.git` is read first and a repository with no state file there costs no git
 * process. git is asked only when one is there, or when `.git` cannot be read or GIT_DIR
 * points elsewhere: git's say (safe.directory among it) decides whether a `.git` someone
 * else planted above the vault counts, as it did before.
 */
function existingStateFile(vaultFile: string): string | undefined {
  const dir = path.dirname(vaultFile);
  if (process.env.GIT_DIR === undefined) {
    const root = repositoryRootOf(dir);
    if (root === undefined) return undefined;
    const dirs = gitDirsAt(root);
    if (dirs !== undefined && !existsSync(path.join(dirs.gitDir, NAME))) return undefined;
  }
  let file: string;
  try {
    file = stateFile(vaultFile);
  } catch {
    return undefined;
  }
  return existsSync(file) ? file : undefined;
}

export function saveMergeState<Conflict>(state: MergeState<Conflict>): void {
  writeFileSync(stateFile(state.vaultFile), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function loadMergeState<Conflict>(vaultFile: string): MergeState<Conflict> | undefined {
  const file = existingStateFile(vaultFile);
  if (file === undefined) return undefined;
  const state = JSON.parse(readFileSync(file, "utf8")) as MergeState<Conflict>;
  return path.resolve(state.vaultFile) === path.resolve(vaultFile) ? state : undefined;
}

export function clearMergeState(vaultFile: string): void {
  const file = existingStateFile(vaultFile);
  if (file === undefined) return;
  try {
    unlinkSync(file);
  } catch {
    // Gone already.
  }
}
