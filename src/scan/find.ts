import { parse as parseDotenv } from "dotenv";
import path from "node:path";
import type { Needle } from "./needles.js";
import { utf16Bytes, utf16Of } from "./utf16.js";

export interface Leak {
  file: string;
  line?: number;
  /** What leaked, never the value itself: "API_KEY (production, base64)". */
  what: string;
  commit?: string;
}

/**
 * Finds each secret value in a file's content; reports file, line and secret, never the
 * value. Every file's bytes are searched, binary or not: a NUL byte (git's own test for
 * binary) only means a line number would say nothing, so matches there carry none. UTF-16
 * text (a BOM, or NULs in every other byte) is searched as the text it holds, with lines.
 * Other binary files are also searched for each value itself (not its other forms, which
 * would double the cost of every large binary) as UTF-16 in either byte order: that is how
 * Windows programs and .NET assemblies store their strings.
 */
export function findValues(file: string, content: Buffer, needles: Needle[]): Leak[] {
  const binary = content.includes(0);
  const utf16 = utf16Of(content);
  const leaks: Leak[] = [];
  // One report per secret and line (and encoding), however many of its forms match there.
  const reported = new Set<string>();
  const report = (n: Needle, line: number | undefined, encoding?: string) => {
    const key = `${encoding ?? ""}\0${line ?? ""}\0${n.env}\0${n.name}`;
    if (reported.has(key)) return;
    reported.add(key);
    const how = [n.env, ...(n.form === "value" ? [] : [n.form]), ...(encoding ? [encoding] : [])].join(", ");
    leaks.push(line === undefined ? { file, what: `${n.name} (${how})` } : { file, line, what: `${n.name} (${how})` });
  };
  for (const n of needles) {
    let lineAt: ((offset: number) => number) | undefined;
    for (const at of offsets(content, n.bytes)) {
      if (!binary) lineAt ??= lineCounter(content, NEWLINE, 0);
      report(n, lineAt?.(at));
    }
    if (utf16) {
      let lineAt16: ((offset: number) => number) | undefined;
      for (const at of offsets(content, utf16Bytes(n.text, utf16.order))) {
        if ((at - utf16.start) % 2 !== 0) continue; // straddles two characters: not this text
        lineAt16 ??= lineCounter(content, utf16.order === "le" ? NEWLINE_LE : NEWLINE_BE, utf16.start);
        report(n, lineAt16(at), "UTF-16");
      }
    } else if (binary && n.form === "value") {
      for (const order of ["le", "be"] as const) {
        if (content.includes(utf16Bytes(n.text, order))) report(n, undefined, "UTF-16");
      }
    }
  }
  return leaks;
}

const NEWLINE = Buffer.from("\n");
const NEWLINE_LE = Buffer.from("\n", "utf16le");
const NEWLINE_BE = Buffer.from("\n", "utf16le").swap16();

/** Where `needle` starts in `content`, in increasing order. */
function* offsets(content: Buffer, needle: Buffer): Generator<number> {
  for (let at = content.indexOf(needle); at >= 0; at = content.indexOf(needle, at + 1)) yield at;
}

/**
 * Line numbers for increasing offsets, counting each newline once (a log with the value
 * on every line stays linear). UTF-16 newlines count only on character boundaries.
 */
function lineCounter(content: Buffer, newline: Buffer, start: number): (offset: number) => number {
  let line = 1;
  let from = start;
  return (offset) => {
    for (let i = content.indexOf(newline, from); i >= 0 && i < offset; i = content.indexOf(newline, i + 1)) {
      if ((i - start) % newline.length === 0) line++;
      from = i + 1;
    }
    return line;
  };
}

const TEMPLATE = /\.(example|sample|template|dist)$/;

/** `.env`, `.env.local`, `.env.production`...; not the templates meant to be committed. */
export function isPlaintextEnvFile(file: string): boolean {
  const base = path.basename(file);
  return (base === ".env" || base.startsWith(".env.")) && !TEMPLATE.test(base);
}

/** A plaintext env file is a leak when it sets at least one variable to a non-empty value. */
export function envFileLeak(file: string, content: Buffer): Leak | undefined {
  const entries = Object.entries(parseDotenv(content.toString("utf8")));
  const filled = entries.filter(([, v]) => v !== "");
  if (filled.length === 0) return undefined;
  return { file, what: `a plaintext env file with ${filled.length} value(s) (${filled.map(([k]) => k).slice(0, 5).join(", ")}${filled.length > 5 ? ", ..." : ""})` };
}
