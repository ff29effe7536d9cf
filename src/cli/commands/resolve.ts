import { VaultError } from "../../errors.js";
import { takeTheirs } from "../../vault.js";
import { sessionOf } from "../context.js";
import { conflictIndex, requirePendingMerge, settle } from "../merge-conflicts.js";
import type { OptionsOf } from "../grammar.js";
import { note } from "../output.js";
import { openUnlocked } from "../unlock.js";

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
  const state = requirePendingMerge(u.v.file);
  const index = conflictIndex(state, u.envName, name);
  if (opts.theirs) await takeTheirs(sessionOf(opts), u.v, u.envName, u.keys, state.theirs, name);
  note(`resolved ${name ?? `environment ${u.envName}`} in ${u.envName}: kept ${opts.theirs ? "theirs" : "ours"}`);
  settle(state, index);
}
