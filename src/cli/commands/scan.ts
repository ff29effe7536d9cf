import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { catFile, commitWithBlob, historyBlobIds, stagedBlobs } from "../../git/objects.js";
import { configFlag, requireWorkTree } from "../../git/repo.js";
import { envFileLeak, findValues, isPlaintextEnvFile, type Leak } from "../../scan/find.js";
import { MIN_SECRET_LENGTH, needlesFor, type Needle } from "../../scan/needles.js";
import { walkFiles } from "../../scan/walk.js";
import { decryptableSecrets, integrityProblem, openVault, VaultError, type Session } from "../../vault.js";
import { sessionOf } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { note } from "../output.js";
import { progress } from "../progress.js";
import { allowsUnchecked, failClosed, reportUnchecked } from "../unchecked.js";

type ScanOptions = OptionsOf<"scan">;

const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** The leak guard: the pre-commit hook runs `vault scan --staged`. */
export async function scanCommand(paths: string[], opts: ScanOptions): Promise<void> {
  if (opts.staged && opts.history) throw new VaultError("usage", "--staged and --history do not go together", "pick one");
  const s = sessionOf({ ...opts, yes: true });
  const v = await openVault(s);
  const known = await decryptableSecrets(s, v);
  const needles = needlesFor(known.secrets);
  const isVault = (file: string) => path.basename(file) === path.basename(v.file);

  let leaks: Leak[];
  let scanned: number;
  if (opts.staged) ({ leaks, scanned } = await scanStaged(s, v.file, needles, isVault));
  else if (opts.history) ({ leaks, scanned } = scanHistory(path.dirname(v.file), needles, isVault));
  else ({ leaks, scanned } = scanPaths(paths.length ? paths : ["."], needles, isVault));

  const unchecked = known.unchecked.map((u) => ({ env: u.env, why: `its values were not searched for (${u.why})` }));
  reportUnchecked(unchecked);
  const short = known.secrets.filter((x) => x.value.length < MIN_SECRET_LENGTH).length;
  if (short && !opts.staged) note(`${short} value(s) shorter than ${MIN_SECRET_LENGTH} characters were not searched for`);
  for (const leak of leaks) {
    note(`leak: ${leak.commit ? `commit ${leak.commit}: ` : ""}${leak.file}${leak.line ? `:${leak.line}` : ""}: ${leak.what}`);
  }
  if (leaks.length) {
    throw new VaultError(
      "leak",
      `${leaks.length} leak(s) found${opts.staged ? ": commit refused" : ""}`,
      opts.staged
        ? "unstage the file (`git restore --staged FILE`), keep the value only in the vault (`vault import FILE`), then commit"
        : "remove the values from those files and rotate what was exposed (`vault set`, `vault rotate`)",
    );
  }
  // The hook runs unattended on every commit: a repository can say once that skipping is intended.
  const allowed = allowsUnchecked(opts.allowUnchecked) || (Boolean(opts.staged) && configFlag(path.dirname(v.file), "sealenv.allowUnchecked"));
  failClosed(opts.staged ? "the leak guard" : "the scan", unchecked, allowed);
  const checked = Object.keys(v.doc.environments).filter((e) => !known.unchecked.some((u) => u.env === e));
  note(`no secrets found in ${scanned} file${opts.history ? " version" : ""}(s)${known.unchecked.length ? ` (values of ${checked.join(", ") || "no environment"} searched for)` : ""}`);
}

async function scanStaged(s: Session, vaultFile: string, needles: Needle[], isVault: (f: string) => boolean) {
  const root = requireWorkTree(path.dirname(vaultFile));
  const blobs = stagedBlobs(root);
  const leaks: Leak[] = [];
  for (const blob of blobs) {
    if (isVault(blob.path)) {
      const problem = await integrityProblem(s, path.join(root, blob.path), blob.content.toString("utf8"), blob.path);
      if (problem) leaks.push({ file: blob.path, what: `a vault that fails its integrity check (${problem})` });
      continue;
    }
    if (isPlaintextEnvFile(blob.path)) {
      const leak = envFileLeak(blob.path, blob.content);
      if (leak) leaks.push(leak);
    }
    leaks.push(...findValues(blob.path, blob.content, needles));
  }
  return { leaks, scanned: blobs.length };
}

function scanHistory(cwd: string, needles: Needle[], isVault: (f: string) => boolean) {
  const ids = historyBlobIds(cwd).filter((b) => !isVault(b.path));
  const leaks: Leak[] = [];
  const report = progress("scanning history (file versions)");
  const BATCH = 500;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const contents = catFile(cwd, batch.map((b) => b.sha));
    batch.forEach((b, j) => {
      const content = contents[j];
      if (!content) return;
      const found = [...(isPlaintextEnvFile(b.path) ? [envFileLeak(b.path, content)].filter((x): x is Leak => !!x) : []), ...findValues(b.path, content, needles)];
      if (found.length) {
        const commit = commitWithBlob(cwd, b.sha);
        for (const leak of found) leaks.push(commit ? { ...leak, commit } : leak);
      }
    });
    report(Math.min(i + BATCH, ids.length), ids.length);
  }
  return { leaks, scanned: ids.length };
}


function scanPaths(paths: string[], needles: Needle[], isVault: (f: string) => boolean) {
  const leaks: Leak[] = [];
  let scanned = 0;
  const scanFile = (p: string) => {
    if (statSync(p).size > MAX_FILE_BYTES || isVault(p)) return;
    scanned++;
    leaks.push(...findValues(path.relative(process.cwd(), p) || p, readFileSync(p), needles));
  };
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new VaultError("not_found", `cannot read ${p}`, "check the path");
    }
    if (st.isDirectory()) walkFiles(p, scanFile);
    else if (st.isFile()) scanFile(p);
  }
  return { leaks, scanned };
}
