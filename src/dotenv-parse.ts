import { createRequire } from "node:module";

// dotenv is loaded the first time a .env is read: `vault run` reaches this module without
// reading one, and loading dotenv was 3 ms of every start.
let dotenv: typeof import("dotenv") | undefined;
const parse = (text: string): Record<string, string> => (dotenv ??= createRequire(import.meta.url)("dotenv") as typeof import("dotenv")).parse(text);

/**
 * dotenv.parse with every name it reads. dotenv stores into a plain `{}`, where
 * `obj["__proto__"] = "value"` hits Object.prototype's setter and the entry is lost:
 * `vault import` would skip it, and `vault edit` would take it for a removed secret.
 * Lines that assign `__proto__` (dotenv's grammar: optional `export`, then `=` or `: `)
 * are read again under a stand-in name. A leaf module, like errors.ts: the CLI (import,
 * edit, export) and the scan (plaintext env files) read dotenv the same way.
 */
const PROTO_ASSIGNMENT = /^(\s*(?:export\s+)?)__proto__(?=\s*=|:\s)/gm;

/** Every NAME=value dotenv reads in `text`, as a record without a prototype. */
export function parseDotenvText(text: string): Record<string, string> {
  const out = Object.assign(Object.create(null) as Record<string, string>, parse(text));
  if (!text.includes("__proto__")) return out;
  let standIn = "SEALENV_PROTO";
  while (text.includes(standIn)) standIn += "_";
  const again = parse(text.replace(PROTO_ASSIGNMENT, `$1${standIn}`));
  if (Object.hasOwn(again, standIn)) out["__proto__"] = again[standIn] as string;
  return out;
}

/** How a value was quoted in a dotenv file: its first character when the value is wrapped in it, else "". */
export type DotenvQuote = "'" | '"' | "`" | "";

// dotenv's own line grammar (lib/main.js), so each name's quoting is read exactly where dotenv reads its value.
const LINE = /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/** Per name, how its value is quoted where dotenv reads it (a later line wins, as in dotenv). */
export function dotenvQuotes(text: string): Record<string, DotenvQuote> {
  const out = Object.create(null) as Record<string, DotenvQuote>;
  const lines = text.replace(/\r\n?/g, "\n");
  for (const m of lines.matchAll(LINE)) {
    const raw = (m[2] ?? "").trim();
    const first = raw[0];
    out[m[1] as string] = (first === "'" || first === '"' || first === "`") && raw.length > 1 && raw.endsWith(first) ? first : "";
  }
  return out;
}
