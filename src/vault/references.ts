import { VaultError } from "../errors.js";
import { nameRecord } from "../format/index.js";

const REFERENCE = /\\\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Resolves `${NAME}` references between the secrets of one environment, recursively;
 * `\${` stands for a literal `${`. Nothing else is special: no `$NAME`, no defaults, no
 * command substitution. A missing name or a cycle is an error naming both ends.
 */
export function resolveReferences(raw: Record<string, string>, envName: string): Record<string, string> {
  const done = new Map<string, string>();
  const resolving: string[] = [];
  const resolve = (name: string): string => {
    const known = done.get(name);
    if (known !== undefined) return known;
    if (resolving.includes(name)) {
      const cycle = [...resolving.slice(resolving.indexOf(name)), name].join(" -> ");
      throw new VaultError("usage", `references in ${envName} form a cycle: ${cycle}`, "make one of them a plain value");
    }
    resolving.push(name);
    const value = (raw[name] as string).replace(REFERENCE, (match: string, ref: string | undefined) => {
      if (ref === undefined) return "${"; // the escape \${
      if (!Object.hasOwn(raw, ref)) {
        throw new VaultError("not_found", `${name} refers to \${${ref}}, which is not a secret in ${envName}`, `set ${ref} too, or write \\\${${ref}} for a literal \${`);
      }
      return resolve(ref);
    });
    resolving.pop();
    done.set(name, value);
    return value;
  };
  const out = nameRecord<string>();
  for (const name of Object.keys(raw)) out[name] = resolve(name);
  return out;
}
