import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setupRepository } from "../../git/setup.js";
import { clearMergeState, loadMergeState, saveMergeState } from "../../git/merge-state.js";
import { requireWorkTree } from "../../git/repo.js";
import { CHAINED, installPreCommit } from "../../git/hook.js";
import { keysIfAvailable, mergeVaults, openVault, parseVault, serializeVault, vaultDiffText, VaultError, type EnvKeys, type MergeConflict } from "../../vault.js";
import { sessionOf, type CommonOptions } from "../context.js";
import { note, print } from "../output.js";
import { selfCommand } from "../self.js";

export interface GitSetupOptions extends CommonOptions {
  diffValues?: boolean;
}

export async function gitSetupCommand(opts: GitSetupOptions): Promise<void> {
  const v = await openVault(sessionOf(opts));
  const changed = setupRepository(path.dirname(v.file), { self: selfCommand(), vaultFile: v.file, diffValues: Boolean(opts.diffValues) });
  note(changed.length ? `git set up for ${path.basename(v.file)}: ${changed.join(", ")}` : "git was already set up: nothing changed");
}

/** git's textconv: prints the vault as one line per secret for `git diff`. */
export async function gitTextconvCommand(file: string, opts: { values?: boolean }): Promise<void> {
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
  const keys = new Map<string, EnvKeys | undefined>();
  for (const [name, env] of Object.entries(doc.environments)) keys.set(name, await keysIfAvailable(s, doc, name, env));
  process.stdout.write(vaultDiffText(doc, (name) => keys.get(name), { values: Boolean(opts.values) }));
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
  const outcome = await mergeVaults(base, ours, theirs, (name, env) => keysIfAvailable(s, ours, name, env));
  writeFileSync(oursPath, serializeVault(outcome.doc));
  const vaultFile = path.resolve(requireWorkTree(process.cwd()), vaultPath);
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
