import { withoutCredentials } from "../credentials.js";
import { VaultError } from "../errors.js";
import { nameRecord } from "../format/index.js";

/** The process's variables a template may use: own entries only (`${constructor}` is no variable), never a sealenv credential. */
function variablesOf(environ: NodeJS.ProcessEnv): (name: string) => string | undefined {
  const outside = withoutCredentials(environ);
  return (name) => (Object.hasOwn(outside, name) ? outside[name] : undefined);
}

/** A secret as stored: its text, and whether that text is a template (`vault set --template`). */
export interface StoredSecret {
  value: string;
  template: boolean;
}

/** One piece of a template: literal text, or `${NAME}`, `${NAME:-default}` (unset or empty), `${NAME-default}` (unset). */
type Part = string | { name: string; fallback?: { text: string; ifEmpty: boolean } };

const EXPRESSION = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)([^}]*))?\}/;

/**
 * Reads a template: `${NAME}`, `${NAME:-default}` and `${NAME-default}` as dotenv-expand
 * and docker compose write them, `\${` for a literal `${`. Any other `$` is itself. A `${`
 * that is none of these is an error, so a typo never becomes literal text silently.
 */
export function parseTemplate(name: string, text: string): Part[] {
  const parts: Part[] = [];
  let literal = "";
  for (let i = 0; i < text.length; ) {
    if (text.startsWith("\\${", i)) {
      literal += "${";
      i += 3;
      continue;
    }
    if (!text.startsWith("${", i)) {
      literal += text[i];
      i += 1;
      continue;
    }
    const m = EXPRESSION.exec(text.slice(i));
    if (!m) {
      throw new VaultError(
        "usage",
        `the template ${name} has a \${ at character ${i + 1} that is not \${NAME}, \${NAME:-default} or \${NAME-default}`,
        "fix the expression, or write \\${ for a literal ${",
      );
    }
    if (literal) parts.push(literal);
    literal = "";
    parts.push({ name: m[1] as string, ...(m[2] ? { fallback: { text: m[3] ?? "", ifEmpty: m[2] === ":-" } } : {}) });
    i += m[0].length;
  }
  if (literal) parts.push(literal);
  return parts;
}

/** A template's text with no reference in it is just a literal: the text it stands for. */
export function literalOf(name: string, text: string): string | undefined {
  const parts = parseTemplate(name, text);
  return parts.every((p) => typeof p === "string") ? parts.join("") : undefined;
}

/**
 * The values a program sees for `names` (every secret when undefined). A literal is
 * itself. A template's `${NAME}` is the environment's secret NAME (itself resolved), else
 * the variable NAME of `environ` (`${HOME}`, as dotenvx and docker compose do; never a
 * sealenv credential), else its default; otherwise an error naming the template and the
 * name. Only what a requested name uses is resolved, so `vault get` of one secret never
 * fails over another's broken template.
 */
export function resolveSecrets(stored: Record<string, StoredSecret>, envName: string, environ: NodeJS.ProcessEnv, names?: string[]): Record<string, string> {
  const outside = variablesOf(environ);
  const done = new Map<string, string>();
  const resolving: string[] = [];
  const resolve = (name: string): string => {
    const known = done.get(name);
    if (known !== undefined) return known;
    const secret = stored[name] as StoredSecret;
    if (!secret.template) {
      done.set(name, secret.value);
      return secret.value;
    }
    if (resolving.includes(name)) {
      const cycle = [...resolving.slice(resolving.indexOf(name)), name].join(" -> ");
      throw new VaultError("usage", `templates in ${envName} form a cycle: ${cycle}`, "make one of them a literal with `vault set NAME`");
    }
    resolving.push(name);
    const value = parseTemplate(name, secret.value)
      .map((part) => {
        if (typeof part === "string") return part;
        const found = Object.hasOwn(stored, part.name) ? resolve(part.name) : outside(part.name);
        if (part.fallback && (found === undefined || (part.fallback.ifEmpty && found === ""))) return part.fallback.text;
        if (found !== undefined) return found;
        throw new VaultError(
          "not_found",
          `the template ${name} in ${envName} uses \${${part.name}}, which is neither a secret there nor set in the environment`,
          `set ${part.name} (\`vault set ${part.name}\`), give it a default (\${${part.name}:-value}), or store ${name} as a literal with \`vault set ${name}\``,
        );
      })
      .join("");
    resolving.pop();
    done.set(name, value);
    return value;
  };
  const out = nameRecord<string>();
  for (const name of names ?? Object.keys(stored)) out[name] = resolve(name);
  return out;
}

/** Names templates use that are found nowhere (no secret, no variable here, no default): worth a warning when written. */
export function unresolvedNames(stored: Record<string, StoredSecret>, environ: NodeJS.ProcessEnv, names: string[]): { template: string; missing: string }[] {
  const outside = variablesOf(environ);
  const found: { template: string; missing: string }[] = [];
  for (const name of names) {
    const secret = stored[name];
    if (!secret?.template) continue;
    for (const part of parseTemplate(name, secret.value)) {
      if (typeof part === "string" || part.fallback || Object.hasOwn(stored, part.name) || outside(part.name) !== undefined) continue;
      found.push({ template: name, missing: part.name });
    }
  }
  return found;
}
