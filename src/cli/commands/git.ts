import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { driverWorkTree } from "../../git/repo.js";
import { CHAINED, installPreCommit } from "../../git/hook.js";
import { VaultError } from "../../errors.js";
import { describeConflict, mergeVaultTexts, openVault, vaultDiffOf } from "../../vault.js";
import { sessionOf, type CommonOptions } from "../context.js";
import { setUpGit } from "../git-setup.js";
import { pendingMerge, recordMerge } from "../merge-conflicts.js";
import type { OptionsOf } from "../grammar.js";
import { note, print, printExactly } from "../output.js";
import { selfCommand } from "../self.js";

type GitSetupOptions = OptionsOf<"git setup">;

export async function gitSetupCommand(opts: GitSetupOptions): Promise<void> {
  const v = await openVault(sessionOf(opts));
  setUpGit(v.file, Boolean(opts.diffValues));
}

/** git's textconv: `vault git textconv FILE` prints the vault as one line per secret for `git diff`. */
export async function gitTextconvCommand(file: string, opts: OptionsOf<"git textconv">): Promise<void> {
  const text = readFileSync(file, "utf8");
  printExactly(await vaultDiffOf(sessionOf({ yes: true }), file, text, path.basename(file), Boolean(opts.values)));
}

/** git's merge driver: `vault git merge %O %A %B %P`; writes the result over %A. */
export async function gitMergeCommand(basePath: string, oursPath: string, theirsPath: string, vaultPath: string): Promise<void> {
  const read = (file: string) => readFileSync(file, "utf8");
  const texts = { base: read(basePath), ours: read(oursPath), theirs: read(theirsPath) };
  const vaultFile = path.resolve(driverWorkTree(process.cwd()), vaultPath);
  const merged = await mergeVaultTexts(sessionOf({ yes: true }), vaultFile, texts, vaultPath);
  writeFileSync(oursPath, merged.text);
  recordMerge(vaultFile, texts.theirs, merged.conflicts);
  if (merged.conflicts.length === 0) return;
  for (const c of merged.conflicts) note(`merge conflict in ${vaultPath}: ${describeConflict(c)}`);
  throw new VaultError(
    "conflict",
    `${merged.conflicts.length} secret(s) could not be merged; ${vaultPath} holds our side of them and stays readable`,
    "resolve each with `vault resolve NAME --env ENV --ours|--theirs` (or `vault set`), then `git add` the vault",
  );
}

export async function gitConflictsCommand(opts: CommonOptions): Promise<void> {
  const v = await openVault(sessionOf(opts));
  const state = pendingMerge(v.file);
  if (!state) {
    note("no unresolved vault merge conflicts");
    return;
  }
  print(state.conflicts.map(describeConflict).join("\n"));
  // A script or CI step asking "is the merge settled?" gets its answer from the exit code.
  throw new VaultError("conflict", `${state.conflicts.length} vault merge conflict(s) remain`, "settle each with `vault resolve NAME --env ENV --ours|--theirs` (or `vault set`), then `git add` the vault");
}

export async function gitHookInstallCommand(opts: CommonOptions): Promise<void> {
  const v = await openVault(sessionOf(opts));
  const outcome = installPreCommit(path.dirname(v.file), selfCommand(), v.file);
  const messages = {
    installed: "installed the pre-commit leak guard",
    updated: "updated the pre-commit leak guard",
    unchanged: "the pre-commit leak guard was already installed: nothing changed",
    chained: `installed the pre-commit leak guard; the hook that was there runs first (kept as ${CHAINED})`,
  };
  note(messages[outcome]);
}
