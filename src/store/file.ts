import { closeSync, fchmodSync, fsyncSync, linkSync, lstatSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { VaultError } from "../errors.js";

/** Reads the vault's text, refusing a symlink (it could point a write anywhere). */
export function readVaultText(file: string): string {
  return readVaultBytes(file).toString("utf8");
}

/** The file as bytes: a write under the lock compares them with what it opened, without decoding them again. */
export function readVaultBytes(file: string): Buffer {
  refuseSymlink(file);
  try {
    return readFileSync(file);
  } catch (err) {
    throw ioError("read", file, err);
  }
}

function refuseSymlink(file: string): void {
  let isLink: boolean;
  try {
    isLink = lstatSync(file).isSymbolicLink();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw ioError("read", file, err);
  }
  if (isLink) {
    throw new VaultError("io", `${file} is a symbolic link; sealenv refuses to write through it`, "point --vault at the real file");
  }
}

/**
 * Replaces `file` so that a crash at any moment leaves the old or the new content:
 * an exclusive temp file with a random name beside it, fsync, rename over, fsync the
 * folder. `exclusive` creates a new file and fails if one exists (for `vault init`).
 * The new file has `mode` if given, else the permissions of the file it replaces (a
 * user's 0600 vault stays 0600 after `vault set`), else 0644 less the umask.
 */
export function writeAtomic(file: string, text: string | Uint8Array, options: { mode?: number; exclusive?: boolean } = {}): void {
  refuseSymlink(file);
  const dir = path.dirname(file);
  const temp = path.join(dir, `${tempPrefix(file)}${uniqueSuffix()}.tmp`);
  const kept = options.mode === undefined ? permissionsOf(file) : undefined;
  let fd: number | undefined;
  try {
    fd = openSync(temp, "wx", options.mode ?? kept ?? 0o644);
    // open() narrows the mode by the umask; a replacement keeps exactly the bits it replaces.
    if (kept !== undefined) fchmodSync(fd, kept);
    const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
    for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    if (options.exclusive) {
      // link() fails if the target exists, unlike rename(): no vault is ever overwritten.
      linkExclusive(temp, file);
    } else {
      renameSync(temp, file);
    }
    syncDir(dir);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temp);
    } catch {
      // Renamed already, or never created.
    }
    if (err instanceof VaultError) throw err;
    throw ioError("write", file, err);
  }
}

/** The permission bits of an existing file, or undefined when there is none. */
function permissionsOf(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw ioError("read", file, err);
  }
}

/**
 * Unique enough for a name opened with O_EXCL (a clash fails rather than overwrites);
 * not from node:crypto, whose load would cost every `vault run` several milliseconds.
 */
function uniqueSuffix(): string {
  return `${process.pid.toString(36)}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

/** Temp files beside the vault; only a writer that crashed leaves one behind. */
function tempPrefix(file: string): string {
  return `.${path.basename(file)}.`;
}

/** Call with the lock held: no live writer owns a temp file then. */
export function removeLeftoverTemps(file: string): void {
  const dir = path.dirname(file);
  const prefix = tempPrefix(file);
  for (const name of readdirSync(dir)) {
    if (name.startsWith(prefix) && name.endsWith(".tmp")) {
      try {
        unlinkSync(path.join(dir, name));
      } catch {
        // Gone already.
      }
    }
  }
}

function linkExclusive(temp: string, file: string): void {
  try {
    linkSync(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") {
      throw new VaultError("exists", `${file} already exists`, "use the existing vault, or move it away first");
    }
    throw err;
  }
  unlinkSync(temp);
}

function syncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open a folder; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function ioError(action: string, file: string, err: unknown): VaultError {
  const code = (err as NodeJS.ErrnoException).code ?? "";
  const reason = code === "EACCES" || code === "EPERM" ? "permission denied" : code === "ENOENT" ? "no such file" : (err as Error).message;
  return new VaultError("io", `cannot ${action} ${file}: ${reason}`, "check the path and its permissions");
}
