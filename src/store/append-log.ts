import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, writeSync } from "node:fs";
import path from "node:path";
import { withLock } from "./lock.js";

/**
 * An append-only, line-per-record log file (0600). `next` gets the last line under the
 * log's lock, so concurrent appends never fork a hash chain.
 */
export async function appendLine(file: string, next: (lastLine: string | undefined) => string): Promise<void> {
  if (!existsSync(path.dirname(file))) mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  await withLock(file, () => {
    const line = next(lastLine(file));
    const fd = openSync(file, "a", 0o600);
    try {
      writeSync(fd, `${line}\n`);
    } finally {
      closeSync(fd);
    }
  });
}

/** Reads only the end of the file: the log grows forever, commands must not slow with it. */
function lastLine(file: string): string | undefined {
  if (!existsSync(file)) return undefined;
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    for (let span = 4096; ; span *= 4) {
      const start = Math.max(0, size - span);
      const buf = Buffer.alloc(size - start);
      readSync(fd, buf, 0, buf.length, start);
      const text = buf.toString("utf8").replace(/\n+$/, "");
      const nl = text.lastIndexOf("\n");
      if (nl >= 0 || start === 0) return text.slice(nl + 1) || undefined;
    }
  } finally {
    closeSync(fd);
  }
}

export function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8").split("\n").filter((l) => l !== "");
}
