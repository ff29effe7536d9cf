import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { withLock } from "./lock.js";

/**
 * An append-only, line-per-record log file (0600) and its head, a small file elsewhere
 * naming the newest record. Readers of the end and appenders hold the log's lock
 * (`withLogLock`), so concurrent appends never fork a hash chain and a head is never
 * written for a record that another process has since followed.
 */
export async function withLogLock<T>(file: string, fn: () => Promise<T> | T): Promise<T> {
  if (!existsSync(path.dirname(file))) mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  return withLock(file, fn);
}

/** The last line and the byte offset just past its newline, which is where the next one starts. */
export interface LogLine {
  text: string;
  end: number;
}

/** Appends one line; returns the log's length after it, the `end` a head records. */
export function appendLine(file: string, line: string): number {
  const fd = openSync(file, "a", 0o600);
  try {
    writeSync(fd, `${line}\n`);
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/** Reads only the end of the file: the log grows forever, commands must not slow with it. */
export function lastLine(file: string): LogLine | undefined {
  if (!existsSync(file)) return undefined;
  const fd = openSync(file, "r");
  try {
    const size = fstatSync(fd).size;
    return size === 0 ? undefined : { text: lineBefore(fd, size), end: size };
  } finally {
    closeSync(fd);
  }
}

/**
 * The line whose newline is the byte before `end`, or undefined when the log no longer
 * reaches that far or has no line break there: how a head is checked against the log
 * without reading all of it.
 */
export function lineEndingAt(file: string, end: number): string | undefined {
  if (end < 1 || !existsSync(file)) return undefined;
  const fd = openSync(file, "r");
  try {
    if (fstatSync(fd).size < end) return undefined;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, end - 1);
    return last[0] === 0x0a ? lineBefore(fd, end) : undefined;
  } finally {
    closeSync(fd);
  }
}

/** The text between the previous newline (or the start) and byte `end`, less a final newline. */
function lineBefore(fd: number, end: number): string {
  for (let span = 4096; ; span *= 4) {
    const start = Math.max(0, end - span);
    const buf = Buffer.alloc(end - start);
    readSync(fd, buf, 0, buf.length, start);
    const body = buf[buf.length - 1] === 0x0a ? buf.subarray(0, -1) : buf;
    const nl = body.lastIndexOf(0x0a);
    if (nl >= 0 || start === 0) return body.subarray(nl + 1).toString("utf8");
  }
}

/** Every line, oldest first; a blank line inside the log is kept (it is not a record). */
export function readLines(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, "utf8");
  return text === "" ? [] : text.replace(/\n$/, "").split("\n");
}

/**
 * Replaces a head file whole (a temp file, then rename; 0600) but without writeAtomic's
 * two fsyncs, which cost 5-15 ms on every `vault run`. After a crash the head is the old
 * one or the new one: an old head is still in the log, which the check allows. After a
 * power cut the head may name a line the log had not flushed yet: a false alarm, once.
 */
export function writeLogHead(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid.toString(36)}${Math.random().toString(36).slice(2, 10)}.tmp`;
  const fd = openSync(temp, "wx", 0o600);
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temp, file);
  } catch (err) {
    unlinkSync(temp);
    throw err;
  }
}
