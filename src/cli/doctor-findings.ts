import path from "node:path";
import { guardInstalled } from "../git/hook.js";
import { configFlag, trackedFiles, workTreeRoot } from "../git/repo.js";
import { driverState, hasTextconvCache, remoteFeedingCache, TEXTCONV_CACHE } from "../git/setup.js";
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
  const again = `\`vault git setup${drivers.diffValues ? " --diff-values" : ""}\` again`;
  if (drivers.state === "missing") add("warn", "git: merge and diff drivers not set up", "`vault git setup`");
  else if (drivers.state === "outdated") add("warn", "git: the drivers differ from what this sealenv sets up (paths that break when node or sealenv move, or git's textconv cache)", again);
  else add("ok", "git: diff and merge drivers set up");
  if (drivers.diffValues && (configFlag(root, "diff.sealenv.cachetextconv") || hasTextconvCache(root))) {
    add("fail", `git: diffs show values and git caches them: plaintext values in .git (${TEXTCONV_CACHE})`, `${again}: it turns the cache off and deletes it`);
  }
  const feeder = drivers.diffValues ? undefined : remoteFeedingCache(root);
  if (feeder !== undefined) add("warn", `git: remote ${feeder} fetches into ${TEXTCONV_CACHE}, which git shows as the vault's diff: it could hide a change from review`, `remove that fetch refspec: \`git config --get-all remote.${feeder}.fetch\``);
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
