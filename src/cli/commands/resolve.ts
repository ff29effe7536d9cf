import path from "node:path";
import { clearMergeState, loadMergeState, saveMergeState, type MergeState } from "../../git/merge-state.js";
import { ownEntry, mutateVault, parseVault, resealEnvironment, tryOpenEnvironment, VaultError, verifiedEnvironment, type EnvKeys, type OpenVault } from "../../vault.js";
import { sessionOf } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { note } from "../output.js";
import { openUnlocked } from "../unlock.js";
import { describeConflict } from "./git.js";

type ResolveOptions = OptionsOf<"resolve">;

/**
 * Settles one conflict a vault merge left: keep our value, take theirs, or (with `vault
 * set` / `vault rm`) a new one. Without NAME it settles a whole-environment conflict.
 */
export async function resolveCommand(name: string | undefined, opts: ResolveOptions): Promise<void> {
  if (Boolean(opts.ours) === Boolean(opts.theirs)) {
    throw new VaultError("usage", "say which side to keep: --ours or --theirs", "or set a new value with `vault set NAME`");
  }
  const u = await openUnlocked(opts);
  const state = pendingState(u.v);
  const index = state.conflicts.findIndex((c) => c.env === u.envName && c.name === name);
  if (index < 0) {
    throw new VaultError(
      "not_found",
      `no merge conflict for ${name ?? "the environment"} in ${u.envName}`,
      `open conflicts: ${state.conflicts.map(describeConflict).join("; ")}`,
    );
  }
  if (opts.theirs) {
    const theirDoc = parseVault(state.theirs, "their side");
    const theirs = ownEntry(theirDoc.environments, u.envName);
    const theirKeys = theirs && (await verifiedTheirs(sessionOf(opts), u.v.file, theirDoc, u.envName));
    await mutateVault(u.v, (doc) => {
      if (name === undefined) {
        if (theirs && theirKeys) {
          doc.environments[u.envName] = theirs;
          resealEnvironment(doc, u.envName, theirKeys);
        } else delete doc.environments[u.envName];
        return;
      }
      const env = verifiedEnvironment(doc, u.envName, u.keys);
      const sealed = theirs && ownEntry(theirs.secrets, name);
      if (sealed === undefined) delete env.secrets[name];
      else env.secrets[name] = sealed;
      resealEnvironment(doc, u.envName, u.keys);
    });
  }
  note(`resolved ${name ?? `environment ${u.envName}`} in ${u.envName}: kept ${opts.theirs ? "theirs" : "ours"}`);
  settle(u.v.file, state, index);
}

/**
 * Their side of the environment, opened through the door where the vault lives (MAC,
 * generation, lineage): a side changed without its key, or rolled back, is refused, never
 * re-sealed under our MAC.
 */
async function verifiedTheirs(s: Parameters<typeof tryOpenEnvironment>[0], file: string, doc: OpenVault["doc"], envName: string): Promise<EnvKeys> {
  const attempt = await tryOpenEnvironment(s, { file, doc }, envName);
  if ("opened" in attempt) return attempt.opened.keys;
  if ("missing" in attempt) throw attempt.missing;
  throw new VaultError(
    attempt.failed.code,
    `their side of ${envName} fails verification, so it cannot be taken: ${attempt.failed.message}`,
    "keep ours (`vault resolve --ours`), or set the value by hand with `vault set`; ask who pushed their side",
  );
}

function pendingState(v: OpenVault): MergeState {
  const state = loadMergeState(v.file);
  if (!state || state.conflicts.length === 0) throw new VaultError("not_found", "no vault merge conflict is pending", "`vault git conflicts` lists them during a merge");
  return state;
}

function settle(vaultFile: string, state: MergeState, index: number): void {
  state.conflicts.splice(index, 1);
  if (state.conflicts.length > 0) {
    saveMergeState(state);
    note(`${state.conflicts.length} conflict(s) left: \`vault git conflicts\` lists them`);
    return;
  }
  clearMergeState(vaultFile);
  note(`all vault conflicts resolved: \`git add ${path.basename(vaultFile)}\` and commit`);
}

/** `vault set` and `vault rm` of a conflicted secret settle its conflict with the new value. */
export function settleIfConflicted(v: OpenVault, envName: string, names: string[]): void {
  const state = loadMergeState(v.file);
  if (!state) return;
  for (const name of names) {
    const index = state.conflicts.findIndex((c) => c.env === envName && c.name === name);
    if (index >= 0) settle(v.file, state, index);
  }
}
