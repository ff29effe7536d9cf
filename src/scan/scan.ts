import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { VaultError } from "../errors.js";
import { envFileLeak, findValues, isPlaintextEnvFile, type Leak } from "./find.js";
import type { Needle } from "./needles.js";
import { walkFiles } from "./walk.js";

/** What a scan found and how many files (or file versions) it read. */
export interface ScanResult {
  leaks: Leak[];
  scanned: number;
}

/** Larger files are build output or data, not where someone pastes a secret; reading them costs. */
const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** Leaks in one file's content: secret values anywhere, and a plaintext .env file as such. */
function leaksIn(file: string, content: Buffer, needles: Needle[]): Leak[] {
  const asEnvFile = isPlaintextEnvFile(file) ? envFileLeak(file, content) : undefined;
  return [...(asEnvFile ? [asEnvFile] : []), ...findValues(file, content, needles)];
}

/** Files and folders on disk; `skip` leaves out what is not ours to judge (the vault itself). */
export function scanPaths(paths: string[], needles: Needle[], skip: (file: string) => boolean, cwd: string): ScanResult {
  const leaks: Leak[] = [];
  let scanned = 0;
  const scanFile = (p: string) => {
    if (statSync(p).size > MAX_FILE_BYTES || skip(p)) return;
    scanned++;
    leaks.push(...findValues(path.relative(cwd, p) || p, readFileSync(p), needles));
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

/** A file as a commit would add it: its path and staged content. */
export interface StagedFile {
  path: string;
  content: Buffer;
}

/**
 * What the next commit adds. A vault is not searched (it holds only ciphertext) but
 * judged by `vaultProblem` (why it would fail to open, if it would); every other file is
 * searched for values and, if it is a plaintext .env file, reported as such.
 */
export async function scanStaged(files: StagedFile[], needles: Needle[], isVault: (file: string) => boolean, vaultProblem: (file: StagedFile) => Promise<string | undefined>): Promise<ScanResult> {
  const leaks: Leak[] = [];
  for (const file of files) {
    if (!isVault(file.path)) {
      leaks.push(...leaksIn(file.path, file.content, needles));
      continue;
    }
    const problem = await vaultProblem(file);
    if (problem) leaks.push({ file: file.path, what: `a vault that fails its integrity check (${problem})` });
  }
  return { leaks, scanned: files.length };
}

/**
 * Where the versions of a history come from. Injected so that the scan knows no git:
 * `read` returns each id's content (undefined when gone), `commitOf` names where one was added.
 */
export interface VersionSource {
  versions: { id: string; path: string }[];
  read(ids: string[]): (Buffer | undefined)[];
  commitOf(id: string): string | undefined;
}

/** Read in batches, so a long history neither holds every version in memory nor spawns a reader each. */
const BATCH = 500;

/** Every version in a history but those `skip` leaves out (the vault's own). */
export function scanVersions(source: VersionSource, needles: Needle[], skip: (file: string) => boolean, onProgress: (done: number, total: number) => void): ScanResult {
  const versions = source.versions.filter((v) => !skip(v.path));
  const leaks: Leak[] = [];
  for (let i = 0; i < versions.length; i += BATCH) {
    const batch = versions.slice(i, i + BATCH);
    const contents = source.read(batch.map((b) => b.id));
    batch.forEach((version, j) => {
      const content = contents[j];
      if (!content) return;
      const found = leaksIn(version.path, content, needles);
      if (!found.length) return;
      const commit = source.commitOf(version.id);
      for (const leak of found) leaks.push(commit ? { ...leak, commit } : leak);
    });
    onProgress(Math.min(i + BATCH, versions.length), versions.length);
  }
  return { leaks, scanned: versions.length };
}
