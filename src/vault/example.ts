import { byCodePoint, type VaultDoc } from "../format/index.js";
import { closeKeys, tryOpenEnvironment } from "./open.js";
import { listNames, readStoredSecrets } from "./secrets.js";
import type { OpenVault, Session } from "./session.js";
import { parseTemplate } from "./templates.js";

/** One line of an .env.example: a name, where it is set, and what it uses if it is a template. */
export interface ExampleEntry {
  name: string;
  /** The environments (of those asked about) that have it. */
  envs: string[];
  /** The environments where it is a template: empty for a literal, or where no key opened it. */
  templateIn: string[];
  /** The names its templates use: never their text, whose defaults may be literal secrets. */
  uses: string[];
}

/**
 * The names of `envNames`, for an .env.example. Names are plaintext, so they need no key;
 * whether a secret is a template is sealed with its value, so templates are marked only in
 * the environments whose key is here (`unopened` lists the others). Never prompts: the
 * session decides that.
 */
export async function exampleOf(s: Session, v: OpenVault, envNames: string[]): Promise<{ entries: ExampleEntry[]; unopened: string[] }> {
  const entries = new Map<string, ExampleEntry>();
  const unopened: string[] = [];
  for (const envName of envNames) {
    for (const name of listNames(v.doc, envName)) {
      const entry = entries.get(name) ?? { name, envs: [], templateIn: [], uses: [] };
      entry.envs.push(envName);
      entries.set(name, entry);
    }
    const attempt = await tryOpenEnvironment(s, v, envName);
    if ("missing" in attempt) {
      unopened.push(envName);
      continue;
    }
    if ("failed" in attempt) throw attempt.failed;
    const stored = readStoredSecrets(v.doc, envName, attempt.opened.keys);
    closeKeys(attempt.opened.keys);
    for (const [name, secret] of Object.entries(stored)) {
      if (!secret.template) continue;
      const entry = entries.get(name) as ExampleEntry;
      entry.templateIn.push(envName);
      for (const part of parseTemplate(name, secret.value)) {
        if (typeof part !== "string" && !entry.uses.includes(part.name)) entry.uses.push(part.name);
      }
    }
  }
  const sorted = [...entries.values()].sort((a, b) => byCodePoint(a.name, b.name));
  return { entries: sorted, unopened };
}

/** How an environment and an .env.example disagree: the example's names it lacks, and its names the example lacks. */
export interface ExampleDrift {
  env: string;
  missing: string[];
  extra: string[];
}

/** Per environment, the drift from the example's names (needs no key: names are plaintext). */
export function exampleDrift(doc: VaultDoc, envNames: string[], exampleNames: string[]): ExampleDrift[] {
  const wanted = new Set(exampleNames);
  return envNames.map((env) => {
    const have = listNames(doc, env);
    const present = new Set(have);
    return { env, missing: [...wanted].filter((n) => !present.has(n)).sort(byCodePoint), extra: have.filter((n) => !wanted.has(n)) };
  });
}

/** Every environment of the vault, in code-point order. */
export function environmentNames(doc: VaultDoc): string[] {
  return Object.keys(doc.environments).sort(byCodePoint);
}
