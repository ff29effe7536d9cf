import { VaultError } from "../errors.js";
import { note } from "./output.js";

/** An environment a check could not look at, and why. */
export interface Unchecked {
  env: string;
  why: string;
}

/** --allow-unchecked, or VAULT_ALLOW_UNCHECKED=1 set once (a CI job, a developer's hook). */
export const allowsUnchecked = (flag: boolean | undefined): boolean => Boolean(flag) || /^(1|true|yes)$/i.test(process.env.VAULT_ALLOW_UNCHECKED ?? "");

/** One line per environment a check skipped, and why. */
export function reportUnchecked(unchecked: Unchecked[]): void {
  for (const u of unchecked) note(`${u.env}: not checked, ${u.why}`);
}

/**
 * A check that could not look everywhere must not pass as if it had: unless the user said
 * skipping is intended, it fails closed (exit 23, naming each environment), so a CI gate
 * or a hook never passes silently. The caller has reported each one (reportUnchecked).
 */
export function failClosed(check: string, unchecked: Unchecked[], allowed: boolean): void {
  if (unchecked.length === 0 || allowed) return;
  throw new VaultError(
    "unchecked",
    `${check} could not check ${unchecked.map((u) => u.env).join(", ")}: ${unchecked.length === 1 ? "it was" : "they were"} not checked`,
    "run it where every environment's key is available (VAULT_KEY_<ENV> in CI), or pass --allow-unchecked (VAULT_ALLOW_UNCHECKED=1) if skipping them is intended",
  );
}
