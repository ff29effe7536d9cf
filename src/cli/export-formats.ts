import { parseDotenvText } from "../dotenv-parse.js";
import { VaultError } from "../errors.js";
import type { OptionsOf } from "./grammar.js";

/** The formats the grammar's --format accepts (commander refuses any other before this runs). */
type ExportFormat = OptionsOf<"export">["format"];

export function formatSecrets(secrets: Record<string, string>, format: ExportFormat): string {
  const names = Object.keys(secrets);
  if (format === "json") return `${JSON.stringify(secrets, null, 2)}\n`;
  if (format === "shell") return names.map((n) => `export ${n}=${shellQuote(secrets[n] as string)}\n`).join("");
  return names.map((n) => `${n}=${dotenvQuote(n, secrets[n] as string)}\n`).join("");
}

/** Single quotes keep everything literal in sh; a quote itself is closed, escaped, reopened. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * dotenv has no general escape: single and backtick quotes are literal (and may span
 * lines), double quotes turn \n and \r into newlines. Each candidate is checked by
 * dotenv itself, so what we write is exactly what `dotenv.parse` reads back.
 */
export function dotenvQuote(name: string, value: string): string {
  const escaped = `"${value.replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
  // Multi-line values go on one line where dotenv allows it, so every line of the file is NAME=value.
  const candidates = value.includes("\n") ? [escaped, `'${value}'`, `\`${value}\``] : [`'${value}'`, `\`${value}\``, escaped];
  for (const candidate of candidates) {
    if (parseDotenvText(`${name}=${candidate}\n`)[name] === value) return candidate;
  }
  throw new VaultError(
    "usage",
    `${name} cannot be written in dotenv syntax (dotenv has no escape for its mix of quotes, backslashes and line breaks)`,
    "use --format json or --format shell",
  );
}
