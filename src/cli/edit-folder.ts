import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * Where `vault edit` keeps plaintext while an editor has it: a 0700 folder, in RAM under
 * /dev/shm where it exists. Its name carries the pid of the session that made it
 * (`sealenv-edit-<pid>-XXXXXX`), so a later session can tell a folder whose owner was
 * killed (SIGKILL runs no cleanup) from one a live session is still using.
 */
const PREFIX = "sealenv-edit-";
const NAME = /^sealenv-edit-(\d+)-[A-Za-z0-9]{6}$/;

function editBase(): string {
  return existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
}

/** A new private folder for this process; mkdtemp makes it 0700. */
export function makeEditFolder(): string {
  return mkdtempSync(path.join(editBase(), `${PREFIX}${process.pid}-`));
}

/**
 * Removes the folders of this user's sessions whose process is gone. Only real folders
 * (not symlinks) owned by our uid, and only when the pid is known dead: a live pid, or one
 * we may not signal (EPERM), keeps its folder. A pid reused by an unrelated process keeps
 * a dead session's folder until that process ends too; that errs on the side of never
 * pulling a file from under an open editor. Best effort: nothing here may stop an edit.
 */
export function removeAbandonedEditFolders(): void {
  const base = editBase();
  const uid = process.getuid?.();
  let names: string[];
  try {
    names = readdirSync(base);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(NAME.exec(name)?.[1]);
    if (!Number.isSafeInteger(pid) || pid <= 0 || pid === process.pid || isAlive(pid)) continue;
    const dir = path.join(base, name);
    try {
      const st = lstatSync(dir);
      if (!st.isDirectory() || (uid !== undefined && st.uid !== uid)) continue;
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // Gone already (another session swept it first), or not ours to remove.
    }
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}
