import path from "node:path";
import { parseDotenvText } from "../dotenv-parse.js";
import type { Needle } from "./needles.js";

export interface Leak {
  file: string;
  line?: number;
  /** What leaked, never the value itself: "API_KEY (production, base64)". */
  what: string;
  commit?: string;
}

/** Finds each secret value in a file's content; reports file, line and secret, never the value. */
export function findValues(file: string, content: Buffer, needles: Needle[]): Leak[] {
  if (content.includes(0)) return []; // binary
  const text = content.toString("utf8");
  const leaks: Leak[] = [];
  // One report per secret and line, however many of its forms match there.
  const reported = new Set<string>();
  for (const n of needles) {
    for (let at = text.indexOf(n.text); at >= 0; at = text.indexOf(n.text, at + n.text.length)) {
      const line = lineOf(text, at);
      const key = `${line}\0${n.env}\0${n.name}`;
      if (reported.has(key)) continue;
      reported.add(key);
      leaks.push({ file, line, what: `${n.name} (${n.env}${n.form === "value" ? "" : `, ${n.form}`})` });
    }
  }
  return leaks;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) line++;
  return line;
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
