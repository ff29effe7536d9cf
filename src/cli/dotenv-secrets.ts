import { dotenvQuotes, parseDotenvText } from "../dotenv-parse.js";
import { literalOf, type StoredSecret } from "../vault.js";
import { VaultError } from "../errors.js";
import { dotenvQuote } from "./export-formats.js";

/**
 * Secrets from dotenv text whose values dotenv read as `values`. Literal unless `expand`:
 * then, as dotenv-expand and dotenvx read them, an unquoted or double-quoted value holding
 * `${...}` is a template, and single- or backtick-quoted values stay literal. A template
 * without any reference (only `\${` escapes) is the literal it stands for.
 */
export function secretsFromDotenv(text: string, values: Record<string, string>, expand: boolean): Record<string, StoredSecret> {
  const quotes = expand ? dotenvQuotes(text) : undefined;
  const out = Object.create(null) as Record<string, StoredSecret>;
  for (const [name, value] of Object.entries(values)) {
    const quote = quotes?.[name];
    if (quote === undefined || quote === "'" || quote === "`" || !value.includes("${")) {
      out[name] = { value, template: false };
      continue;
    }
    const literal = literalOf(name, value);
    out[name] = literal === undefined ? { value, template: true } : { value: literal, template: false };
  }
  return out;
}

/**
 * A secret as one `NAME=value` line that `vault edit` reads back as exactly that secret:
 * a template unquoted or in double quotes, a literal holding `${` in single or backtick
 * quotes (or in double quotes with `\${`), any other literal as `vault export` writes it.
 */
export function dotenvLine(name: string, secret: StoredSecret): string {
  const readsBack = (candidate: string) => {
    const line = `${name}=${candidate}\n`;
    const back = secretsFromDotenv(line, parseDotenvText(line), true)[name];
    return back !== undefined && back.value === secret.value && back.template === secret.template;
  };
  const doubled = (text: string) => `"${text.replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
  let candidates: string[];
  if (secret.template) candidates = [secret.value, doubled(secret.value)];
  else if (secret.value.includes("${")) candidates = [`'${secret.value}'`, `\`${secret.value}\``, doubled(secret.value.replace(/\$\{/g, "\\${"))];
  else return `${name}=${dotenvQuote(name, secret.value)}`;
  const fit = candidates.find(readsBack);
  if (fit === undefined) {
    throw new VaultError(
      "usage",
      `${name} cannot be shown in dotenv syntax as a ${secret.template ? "template" : "literal"} (its mix of quotes, \${ and line breaks has no dotenv form)`,
      `change it with \`vault set ${name}${secret.template ? " --template" : ""}\` instead`,
    );
  }
  return `${name}=${fit}`;
}
