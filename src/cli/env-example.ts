import type { ExampleEntry } from "../vault.js";

/**
 * An .env.example in dotenv syntax: a header, then `NAME=` for every name, in code-point
 * order so the file is stable to commit. Comments say where a name is set (when not in
 * every environment listed) and that it is a template, with the names it uses; never a
 * value, nor a template's text (its defaults may be literal secrets).
 */
export function exampleText(entries: ExampleEntry[], envs: string[], all: boolean): string {
  const where = all ? `environments ${envs.join(", ")}` : `environment ${envs[0] ?? ""}`;
  const lines = [`# The variables of secrets.vault (${where}): names only; \`vault run -- CMD\` supplies the values.`];
  for (const entry of entries) {
    if (entry.templateIn.length) {
      const partly = all && entry.templateIn.length < entry.envs.length ? ` in ${entry.templateIn.join(", ")}` : "";
      const uses = entry.uses.length ? `, built from ${entry.uses.map((n) => `\${${n}}`).join(", ")}` : "";
      lines.push(`# ${entry.name} is a template${partly}${uses}`);
    }
    // A name not everywhere is listed commented out, so `vault check --all` of this file passes.
    lines.push(all && entry.envs.length < envs.length ? `# ${entry.name}= (only in ${entry.envs.join(", ")})` : `${entry.name}=`);
  }
  return `${lines.join("\n")}\n`;
}
