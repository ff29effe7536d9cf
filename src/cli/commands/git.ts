import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setupRepository } from "../../git/setup.js";
import { clearMergeState, loadMergeState, saveMergeState } from "../../git/merge-state.js";
import { requireWorkTree } from "../../git/repo.js";
import { CHAINED, installPreCommit } from "../../git/hook.js";
import { keyAnswer, mergeVaults, openVault, parseVault, serializeVault, tryOpenEnvironment, vaultDiffText, VaultError, type KeyAnswer, type MergeConflict, type VaultDoc } from "../../vault.js";
import { sessionOf, type CommonOptions } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { note, print } from "../output.js";
import { selfCommand } from "../self.js";

type GitSetupOptions = OptionsOf<"git setup">;

export async function gitSetupCommand(opts: GitSetupOptions): Promise<void> {
  const v = await openVault(sessionOf(opts));
  const changed = setupRepository(path.dirname(v.file), { self: selfCommand(), vaultFile: v.file, diffValues: Boolean(opts.diffValues) });
  note(changed.length ? `git set up for ${path.basename(v.file)}: ${changed.join(", ")}` : "git was already set up: nothing changed");
}

/**
 * git's textconv: prints the vault as one line per secret for `git diff`. git hands over
 * any version (old commits included) as a temp file, so environments are opened as old
 * versions may be (no location, rollback readable, nothing remembered) and never with a
 * passphrase; one that fails verification is marked, its values not opened.
 */
export async function gitTextconvCommand(file: string, opts: OptionsOf<"git textconv">): Promise<void> {
  const text = readFileSync(file, "utf8");
  let doc;
  try {
    doc = parseVault(text, path.basename(file));
  } catch {
    // A broken or conflicted file still diffs, as the text it is.
    process.stdout.write(text);
    return;
  }
  const s = sessionOf({ yes: true });
  const v = { file, doc };
  const answers = new Map<string, KeyAnswer>();
  for (const name of Object.keys(doc.environments)) {
    answers.set(name, keyAnswer(await tryOpenEnvironment(s, v, name, { kdf: false, atLocation: false, remember: false, allowRollback: true })));
  }
  process.stdout.write(vaultDiffText(doc, (name) => answers.get(name) ?? { missing: true }, { values: Boolean(opts.values) }));
}

/** git's merge driver: `vault git merge %O %A %B %P`; writes the result over %A. */
export async function gitMergeCommand(basePath: string, oursPath: string, theirsPath: string, vaultPath: string): Promise<void> {
  const read = (file: string) => readFileSync(file, "utf8");
  const baseText = read(basePath);
  const theirsText = read(theirsPath);
  const ours = parseVault(read(oursPath), `${vaultPath} (ours)`);
  const theirs = parseVault(theirsText, `${vaultPath} (theirs)`);
  const base = baseText.trim() === "" ? undefined : parseVault(baseText, `${vaultPath} (base)`);
  const s = sessionOf({ yes: true });
  const vaultFile = path.resolve(requireWorkTree(process.cwd()), vaultPath);
  const sides: Record<"ours" | "theirs", VaultDoc> = { ours, theirs };
  // Each side is opened where the vault lives, so its id and lineage are held against what this machine knows.
  const outcome = await mergeVaults(base, ours, theirs, async (side, envName) => keyAnswer(await tryOpenEnvironment(s, { file: vaultFile, doc: sides[side] }, envName)));
  writeFileSync(oursPath, serializeVault(outcome.doc));
  if (outcome.conflicts.length === 0) {
    clearMergeState(vaultFile);
    return;
  }
  saveMergeState({ vaultFile, theirs: theirsText, conflicts: outcome.conflicts });
  for (const c of outcome.conflicts) note(`merge conflict in ${vaultPath}: ${describeConflict(c)}`);
  throw new VaultError(
    "conflict",
    `${outcome.conflicts.length} secret(s) could not be merged; ${vaultPath} holds our side of them and stays readable`,
    "resolve each with `vault resolve NAME --env ENV --ours|--theirs` (or `vault set`), then `git add` the vault",
  );
}

export function describeConflict(c: MergeConflict): string {
  return c.name ? `${c.name} in ${c.env} (${c.reason})` : `environment ${c.env} (${c.reason})`;
}

export async function gitConflictsCommand(opts: CommonOptions): Promise<void> {
  const v = await openVault(sessionOf(opts));
  const state = loadMergeState(v.file);
  if (!state || state.conflicts.length === 0) {
    note("no unresolved vault merge conflicts");
    return;
  }
  print(state.conflicts.map(describeConflict).join("\n"));
  // A script or CI step asking "is the merge settled?" gets its answer from the exit code.
  throw new VaultError("conflict", `${state.conflicts.length} vault merge conflict(s) remain`, "settle each with `vault resolve NAME --env ENV --ours|--theirs` (or `vault set`), then `git add` the vault");
}

export async function gitHookInstallCommand(opts: CommonOptions): Promise<void> {
  const v = await openVault(sessionOf(opts));
  const outcome = installPreCommit(path.dirname(v.file), selfCommand());
  const messages = {
    installed: "installed the pre-commit leak guard",
    updated: "updated the pre-commit leak guard",
    unchanged: "the pre-commit leak guard was already installed: nothing changed",
    chained: `installed the pre-commit leak guard; the hook that was there runs first (kept as ${CHAINED})`,
  };
  note(messages[outcome]);
}
