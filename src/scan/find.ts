import path from "node:path";
import { parseDotenvText } from "../dotenv-parse.js";
import type { Needle } from "./needles.js";
import { decodeUtf16, utf16Bytes, utf16Of } from "./utf16.js";

export interface Leak {
  file: string;
  line?: number;
  /** What leaked, never the value itself: "API_KEY (production, base64)". */
  what: string;
  commit?: string;
}

/**
 * Finds each secret value in a file's content; reports file, line and secret, never the
 * value. Text is searched as text: UTF-8, and UTF-16 (a BOM, or NULs in every other
 * byte) decoded. A file with a NUL byte (git's own test for binary) is also searched byte
 * by byte, where a line number would say nothing, so those matches carry none; and, when
 * it is not UTF-16 text, for each value itself (not its other forms, which would triple
 * the cost of every large binary) as UTF-16 in either byte order: that is how Windows
 * programs and .NET assemblies store their strings.
 */
export function findValues(file: string, content: Buffer, needles: Needle[]): Leak[] {
  const binary = content.includes(0);
  const utf16 = utf16Of(content);
  const texts: { text: string; encoding?: string }[] = [];
  if (!binary) texts.push({ text: content.toString("utf8") });
  if (utf16) texts.push({ text: decodeUtf16(content, utf16), encoding: "UTF-16" });
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
    for (const { text, encoding } of texts) {
      // Strings, not bytes, for text: V8 searches a string without a call into C++ per needle.
      let lineAt: ((offset: number) => number) | undefined;
      for (let at = text.indexOf(n.text); at >= 0; at = text.indexOf(n.text, at + 1)) {
        lineAt ??= lineCounter(text);
        report(n, lineAt(at), encoding);
      }
    }
    if (!binary) continue;
    if (content.includes(n.bytes)) report(n, undefined);
    if (!utf16 && n.form === "value") {
      for (const order of ["le", "be"] as const) if (content.includes(utf16Bytes(n.text, order))) report(n, undefined, "UTF-16");
    }
  }
  return leaks;
}

/** Line numbers for increasing offsets, counting each newline once (a log with the value on every line stays linear). */
function lineCounter(text: string): (offset: number) => number {
  let line = 1;
  let from = 0;
  return (offset) => {
    for (let i = text.indexOf("\n", from); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
      line++;
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
  const entries = Object.entries(parseDotenvText(content.toString("utf8")));
  const filled = entries.filter(([, v]) => v !== "");
  if (filled.length === 0) return undefined;
  return { file, what: `a plaintext env file with ${filled.length} value(s) (${filled.map(([k]) => k).slice(0, 5).join(", ")}${filled.length > 5 ? ", ..." : ""})` };
}
