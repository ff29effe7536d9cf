import path from "node:path";
import { guardInstalled } from "../git/hook.js";
import { trackedFiles, workTreeRoot } from "../git/repo.js";
import { driverState } from "../git/setup.js";
import { isPlaintextEnvFile } from "../scan/find.js";
import { walkFiles } from "../scan/walk.js";
import { selfCommand } from "./self.js";

export type Level = "ok" | "warn" | "fail";

/** One line of `vault doctor`: how it stands, and what fixes it. */
export interface Finding {
  level: Level;
  what: string;
  fix?: string;
}

/** Whether the repository around the vault diffs, merges and guards commits as sealenv's. */
export function gitFindings(dir: string, add: (level: Level, what: string, fix?: string) => void): void {
  const root = workTreeRoot(dir);
  if (!root) {
    add("warn", "git: the vault is not in a git repository", "commit secrets.vault to share it: `git init`, then `vault git setup`");
    return;
  }
  const drivers = driverState(root, selfCommand());
  if (drivers === "missing") add("warn", "git: merge and diff drivers not set up", "`vault git setup`");
  else if (drivers === "outdated") add("warn", "git: the drivers were set up by an older sealenv, with paths that break when node or sealenv move", "`vault git setup` again");
  else add("ok", "git: diff and merge drivers set up");
  if (guardInstalled(root)) add("ok", "git: pre-commit leak guard installed");
  else add("warn", "git: no pre-commit leak guard", "`vault git hook install`");
  for (const f of trackedFiles(root).filter(isPlaintextEnvFile)) add("fail", `git: ${f} is committed in plaintext`, `\`vault import ${f}\`, \`git rm --cached ${f}\`, rotate what it held`);
}

/** Plaintext .env files near the vault (four folders down): each a copy of secrets outside it. */
export function plaintextEnvFiles(dir: string): string[] {
  const out: string[] = [];
  walkFiles(
    dir,
    (file) => {
      if (isPlaintextEnvFile(file)) out.push(path.relative(dir, file));
    },
    4,
  );
  return out;
}
