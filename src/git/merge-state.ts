import { existsSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
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

function stateFile(vaultFile: string): string {
  return gitPath(path.dirname(vaultFile), "sealenv-merge.json");
}

export function saveMergeState<Conflict>(state: MergeState<Conflict>): void {
  writeFileSync(stateFile(state.vaultFile), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

export function loadMergeState<Conflict>(vaultFile: string): MergeState<Conflict> | undefined {
  let file: string;
  try {
    file = stateFile(vaultFile);
  } catch {
    return undefined;
  }
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, "utf8")) as MergeState<Conflict>;
  return path.resolve(state.vaultFile) === path.resolve(vaultFile) ? state : undefined;
}

export function clearMergeState(vaultFile: string): void {
  try {
    unlinkSync(stateFile(vaultFile));
  } catch {
    // Nothing pending.
  }
}
