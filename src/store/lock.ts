import { closeSync, constants, linkSync, lstatSync, openSync, readSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { hostname } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { VaultError } from "../errors.js";

const WAIT_MS = 15_000;
/** A lock whose owner we cannot check (another host, unreadable) is stale after this. */
const ABANDONED_MS = 60_000;
/** Clocks of processes on one host agree; a little slack for a lock taken this instant. */
const FUTURE_SLACK_MS = 5_000;

/**
 * Holds `<vault>.lock`, created exclusively, for the duration of `fn`. A lock left by a
 * process that died (same host, pid gone) is broken at once; breaking is itself guarded
 * by `<vault>.lock.break` so two waiters cannot both break it and both proceed.
 */
export async function withLock<T>(vaultPath: string, fn: () => Promise<T> | T): Promise<T> {
  const lockPath = `${vaultPath}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    if (tryCreate(lockPath)) break;
    if (isStale(lockPath)) breakLock(lockPath);
    else if (Date.now() > deadline) {
      throw new VaultError("locked", `${vaultPath} is locked by another sealenv process`, `if no vault command is running, delete ${lockPath}`);
    } else await sleep(delay + Math.random() * delay);
  }
  try {
    return await fn();
  } finally {
    try {
      unlinkSync(lockPath);
    } catch {
      // Already gone: nothing else to release.
    }
  }
}

/**
 * Creates the lock file whole or not at all: the owner record is written to a temp file
 * first and hard-linked into place (link fails if the lock exists), so a writer killed
 * at any point never leaves an empty lock that would look "being written" for a minute.
 */
function tryCreate(lockPath: string): boolean {
  const temp = path.join(path.dirname(lockPath), `.${path.basename(lockPath)}.${process.pid}${Math.random().toString(36).slice(2, 10)}.tmp`);
  try {
    writeFileSync(temp, JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() }), { mode: 0o600, flag: "wx" });
    linkSync(temp, lockPath);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // EEXIST: someone holds it. ENOENT: our temp was cleared by the holder's leftover sweep.
    if (code === "EEXIST" || code === "ENOENT") return false;
    throw new VaultError("io", `cannot create ${lockPath}: ${(err as Error).message}`, "check that the folder is writable");
  } finally {
    safeUnlink(temp);
  }
}

/**
 * A lock we write is a small regular file. Anything else in its place (a symlink to
 * /dev/zero, a FIFO, a folder: committed by someone, say) is not a lock: reading it could
 * hang or fill memory. A symlink is removed (never its target); the rest is an error.
 */
function readOwner(lockPath: string): string {
  const st = lstatSync(lockPath);
  if (st.isSymbolicLink()) {
    safeUnlink(lockPath);
    throw Object.assign(new Error("not a lock"), { code: "ENOENT" });
  }
  if (!st.isFile()) {
    throw new VaultError("io", `${lockPath} is not a lock file sealenv wrote (a ${st.isDirectory() ? "folder" : "special file"})`, `remove it (\`rm -r ${lockPath}\`); if it is committed, \`git rm\` it`);
  }
  const fd = openSync(lockPath, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  try {
    const buf = Buffer.alloc(MAX_LOCK_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

const MAX_LOCK_BYTES = 4096;

function isStale(lockPath: string): boolean {
  let owner: { pid?: unknown; host?: unknown; at?: unknown };
  let age: number;
  try {
    const text = readOwner(lockPath);
    age = Date.now() - statSync(lockPath).mtimeMs;
    owner = JSON.parse(text) as typeof owner;
  } catch (err) {
    if (err instanceof VaultError) throw err;
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return false;
    // Empty or half-written: its owner may be writing it right now.
    return ageOf(lockPath) > ABANDONED_MS;
  }
  // Our own locks say when they were taken and are held for seconds: one that claims the
  // future or a minute ago was not written by a live sealenv (a committed one, say), whatever pid it names.
  const at = typeof owner.at === "number" ? owner.at : Number.NaN;
  if (!(at <= Date.now() + FUTURE_SLACK_MS) || Date.now() - at > ABANDONED_MS) return true;
  if (owner.host !== hostname() || typeof owner.pid !== "number") return age > ABANDONED_MS;
  return !isAlive(owner.pid);
}

function ageOf(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function breakLock(lockPath: string): void {
  const guard = `${lockPath}.break`;
  if (!tryCreate(guard)) {
    if (ageOf(guard) > 5_000) safeUnlink(guard);
    return;
  }
  try {
    // Re-check under the guard: another waiter may have broken it and taken a fresh lock.
    if (isStale(lockPath)) safeUnlink(lockPath);
  } finally {
    safeUnlink(guard);
  }
}

function safeUnlink(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Someone else removed it first.
  }
}
