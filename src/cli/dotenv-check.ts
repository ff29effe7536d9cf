import { parseDotenvText } from "../dotenv-parse.js";

const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/**
 * dotenv.parse never fails: it skips what it cannot read. Before an edit replaces an
 * environment, every line must be blank, a comment, NAME=value or the continuation of a
 * quoted value, so a typo is reported by line instead of silently dropping a secret.
 * Returns the parsed values, or the first problem.
 */
export function checkDotenvText(text: string): { values: Record<string, string> } | { line: number; problem: string } {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  const seen = new Map<string, number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    const m = ASSIGNMENT.exec(line);
    if (!m) return { line: i + 1, problem: "expected NAME=value (a name is letters, digits and _)" };
    const name = m[1] as string;
    const first = seen.get(name);
    if (first !== undefined) return { line: i + 1, problem: `${name} is already set on line ${first}` };
    seen.set(name, i + 1);
    const value = (m[2] as string).trimStart();
    const quote = value[0];
    if (quote === '"' || quote === "'" || quote === "`") {
      if (value.indexOf(quote, 1) > 0) continue;
      const start = i;
      while (++i < lines.length && !(lines[i] as string).includes(quote));
      // A NAME= line swallowed by an open quote is a typo far more often than a value.
      const swallowed = lines.slice(start + 1, i + 1).some((l) => ASSIGNMENT.test(l));
      if (i >= lines.length || swallowed) return { line: start + 1, problem: `the quoted value of ${name} is never closed (missing ${quote})` };
    }
  }
  const values = parseDotenvText(text);
  for (const [name, line] of seen) {
    if (!Object.hasOwn(values, name)) return { line, problem: `dotenv cannot read the value of ${name}` };
  }
  return { values };
}
