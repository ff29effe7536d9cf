import { parseVault, serializeVault, type VaultDoc } from "../format/index.js";
import { vaultDiffText } from "./diff-text.js";
import { mergeVaults, type MergeConflict } from "./merge.js";
import { keyAnswer, tryOpenEnvironment, type KeyAnswer } from "./open.js";
import type { Session } from "./session.js";

/**
 * git's textconv: the vault as one line per secret for `git diff`. git hands over any
 * version (old commits included) as a temp file, so environments are opened as old
 * versions may be (no location, rollback readable, nothing remembered) and never with a
 * passphrase; one that fails verification is marked, its values not opened. A broken or
 * conflicted file diffs as the text it is.
 */
export async function vaultDiffOf(s: Session, file: string, text: string, label: string, values: boolean): Promise<string> {
  let doc: VaultDoc;
  try {
    doc = parseVault(text, label);
  } catch {
    return text;
  }
  const v = { file, doc };
  const answers = new Map<string, KeyAnswer>();
  for (const name of Object.keys(doc.environments)) {
    answers.set(name, keyAnswer(await tryOpenEnvironment(s, v, name, { kdf: false, atLocation: false, remember: false, allowRollback: true })));
  }
  return vaultDiffText(doc, (name) => answers.get(name) ?? { missing: true }, { values });
}

/** The three versions git's merge driver is given, as text; `base` is empty when the sides share none. */
export interface MergeTexts {
  base: string;
  ours: string;
  theirs: string;
}

/**
 * git's merge driver: the merged vault as text, always readable (ours wherever the sides
 * could not be merged), and the conflicts left. Each side is opened where the vault lives
 * (`vaultFile`), so its id and lineage are held against what this machine knows.
 */
export async function mergeVaultTexts(s: Session, vaultFile: string, texts: MergeTexts, label: string): Promise<{ text: string; conflicts: MergeConflict[] }> {
  const sides = { ours: parseVault(texts.ours, `${label} (ours)`), theirs: parseVault(texts.theirs, `${label} (theirs)`) };
  const base = texts.base.trim() === "" ? undefined : parseVault(texts.base, `${label} (base)`);
  const outcome = await mergeVaults(base, sides.ours, sides.theirs, async (side, envName) => keyAnswer(await tryOpenEnvironment(s, { file: vaultFile, doc: sides[side] }, envName)));
  return { text: serializeVault(outcome.doc), conflicts: outcome.conflicts };
}

/** A conflict as one line for people: which secret (or environment), and why. */
export function describeConflict(c: MergeConflict): string {
  return c.name ? `${c.name} in ${c.env} (${c.reason})` : `environment ${c.env} (${c.reason})`;
}
