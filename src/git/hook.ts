import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { gitPath, requireWorkTree } from "./repo.js";

const MARKER = "# sealenv leak guard";
/** Where a pre-commit hook that was there before ours is kept, and run first. */
export const CHAINED = "pre-commit.pre-sealenv";

export function guardInstalled(cwd: string): boolean {
  const hook = path.join(gitPath(cwd, "hooks"), "pre-commit");
  return existsSync(hook) && readFileSync(hook, "utf8").includes(MARKER);
}

/**
 * Installs the pre-commit leak guard. An existing hook that is not ours is kept and run
 * before the guard, never overwritten. Returns what happened.
 */
export function installPreCommit(cwd: string, self: string, vaultFile: string): "installed" | "updated" | "unchanged" | "chained" {
  const top = requireWorkTree(cwd);
  // git runs hooks at the top of the work tree, from where a vault in a subfolder is not found by searching upwards.
  const vault = path.relative(top, realpathSync(vaultFile)).split(path.sep).join("/");
  const hooks = gitPath(cwd, "hooks");
  mkdirSync(hooks, { recursive: true });
  const hook = path.join(hooks, "pre-commit");
  const script = [
    "#!/bin/sh",
    `${MARKER} (installed by \`vault git hook install\`; re-run it to update)`,
    `chained="$(dirname "$0")/${CHAINED}"`,
    'if [ -x "$chained" ]; then "$chained" "$@" || exit $?; fi',
    `exec ${self} scan --staged --vault '${vault.replace(/'/g, "'\\''")}'`,
    "",
  ].join("\n");
  let outcome: "installed" | "updated" | "chained" = "installed";
  if (existsSync(hook)) {
    const current = readFileSync(hook, "utf8");
    if (current === script) return "unchanged";
    if (current.includes(MARKER)) outcome = "updated";
    else {
      renameSync(hook, path.join(hooks, CHAINED));
      outcome = "chained";
    }
  }
  writeFileSync(hook, script, { mode: 0o755 });
  chmodSync(hook, 0o755);
  return outcome;
}
