import path from "node:path";
import { clearMergeState, loadMergeState, saveMergeState, type MergeState } from "../git/merge-state.js";
import { VaultError } from "../errors.js";
import { describeConflict, type MergeConflict } from "../vault.js";
import { note } from "./output.js";

export type PendingMerge = MergeState<MergeConflict>;

/**
 * What the merge driver leaves for `vault resolve`: their side and the conflicts, or
 * nothing once the merge settled every secret.
 */
export function recordMerge(vaultFile: string, theirs: string, conflicts: MergeConflict[]): void {
  if (conflicts.length === 0) clearMergeState(vaultFile);
  else saveMergeState({ vaultFile, theirs, conflicts });
}

/** The conflicts a vault merge left open, or undefined when none are. */
export function pendingMerge(vaultFile: string): PendingMerge | undefined {
  const state = loadMergeState<MergeConflict>(vaultFile);
  return state && state.conflicts.length > 0 ? state : undefined;
}

/** The merge's conflicts, refusing when there is nothing to settle. */
export function requirePendingMerge(vaultFile: string): PendingMerge {
  const state = pendingMerge(vaultFile);
  if (!state) throw new VaultError("not_found", "no vault merge conflict is pending", "`vault git conflicts` lists them during a merge");
  return state;
}

/** Where this conflict is in the list; refuses, naming those open, when it is not there. */
export function conflictIndex(state: PendingMerge, envName: string, name: string | undefined): number {
  const index = state.conflicts.findIndex((c) => c.env === envName && c.name === name);
  if (index < 0) {
    throw new VaultError(
      "not_found",
      `no merge conflict for ${name ?? "the environment"} in ${envName}`,
      `open conflicts: ${state.conflicts.map(describeConflict).join("; ")}`,
    );
  }
  return index;
}

/** Marks one conflict settled and says what is left; the last one clears the merge's state. */
export function settle(state: PendingMerge, index: number): void {
  state.conflicts.splice(index, 1);
  if (state.conflicts.length > 0) {
    saveMergeState(state);
    note(`${state.conflicts.length} conflict(s) left: \`vault git conflicts\` lists them`);
    return;
  }
  clearMergeState(state.vaultFile);
  note(`all vault conflicts resolved: \`git add ${path.basename(state.vaultFile)}\` and commit`);
}

/** `vault set` and `vault rm` of a conflicted secret settle its conflict with the new value. */
export function settleIfConflicted(vaultFile: string, envName: string, names: string[]): void {
  const state = pendingMerge(vaultFile);
  if (!state) return;
  for (const name of names) {
    const index = state.conflicts.findIndex((c) => c.env === envName && c.name === name);
    if (index >= 0) settle(state, index);
  }
}
