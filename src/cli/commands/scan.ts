import path from "node:path";
import { historyVersions, stagedBlobs } from "../../git/objects.js";
import { configFlag, requireWorkTree } from "../../git/repo.js";
import type { Leak } from "../../scan/find.js";
import { MIN_SECRET_LENGTH, needlesFor } from "../../scan/needles.js";
import { scanPaths, scanStaged, scanVersions, type ScanResult } from "../../scan/scan.js";
import { VaultError } from "../../errors.js";
import { decryptableSecrets, integrityProblem, openVault } from "../../vault.js";
import { sessionOf } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { note } from "../output.js";
import { progress } from "../progress.js";
import { allowsUnchecked, failClosed, reportUnchecked } from "../unchecked.js";

type ScanOptions = OptionsOf<"scan">;

/** The leak guard: the pre-commit hook runs `vault scan --staged`. */
export async function scanCommand(paths: string[], opts: ScanOptions): Promise<void> {
  if (opts.staged && opts.history) throw new VaultError("usage", "--staged and --history do not go together", "pick one");
  const s = sessionOf({ ...opts, yes: true });
  const v = await openVault(s);
  const known = await decryptableSecrets(s, v);
  const needles = needlesFor(known.secrets);
  const isVault = (file: string) => path.basename(file) === path.basename(v.file);
  const root = path.dirname(v.file);

  let result: ScanResult;
  if (opts.staged) {
    const top = requireWorkTree(root);
    result = await scanStaged(stagedBlobs(top), needles, isVault, (f) => integrityProblem(s, path.join(top, f.path), f.content.toString("utf8"), f.path));
  } else if (opts.history) result = scanVersions(historyVersions(root), needles, isVault, progress("scanning history (file versions)"));
  else result = scanPaths(paths.length ? paths : ["."], needles, isVault, process.cwd());

  const unchecked = known.unchecked.map((u) => ({ env: u.env, why: `its values were not searched for (${u.why})` }));
  reportUnchecked(unchecked);
  const short = known.secrets.filter((x) => x.value.length < MIN_SECRET_LENGTH).length;
  if (short && !opts.staged) note(`${short} value(s) shorter than ${MIN_SECRET_LENGTH} characters were not searched for`);
  reportLeaks(result.leaks, Boolean(opts.staged));
  // The hook runs unattended on every commit: a repository can say once that skipping is intended.
  const allowed = allowsUnchecked(opts.allowUnchecked) || (Boolean(opts.staged) && configFlag(root, "sealenv.allowUnchecked"));
  failClosed(opts.staged ? "the leak guard" : "the scan", unchecked, allowed);
  const searched = known.unchecked.length ? ` (values of ${known.checked.join(", ") || "no environment"} searched for)` : "";
  note(`no secrets found in ${result.scanned} file${opts.history ? " version" : ""}(s)${searched}`);
}

function reportLeaks(leaks: Leak[], staged: boolean): void {
  for (const leak of leaks) {
    note(`leak: ${leak.commit ? `commit ${leak.commit}: ` : ""}${leak.file}${leak.line ? `:${leak.line}` : ""}: ${leak.what}`);
  }
  if (!leaks.length) return;
  throw new VaultError(
    "leak",
    `${leaks.length} leak(s) found${staged ? ": commit refused" : ""}`,
    staged
      ? "unstage the file (`git restore --staged FILE`), keep the value only in the vault (`vault import FILE`), then commit"
      : "remove the values from those files and rotate what was exposed (`vault set`, `vault rotate`)",
  );
}
