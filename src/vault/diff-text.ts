import { openValue, publicKeyFingerprint, sealedFingerprint, valueFingerprints } from "../crypto/index.js";
import { byCodePoint, type VaultDoc } from "../format/index.js";
import type { KeyAnswer } from "./open.js";

export interface DiffTextOptions {
  /** Show plaintext values (opt-in) instead of fingerprints. */
  values: boolean;
}

/**
 * What `git diff` compares instead of the raw JSON: one line per secret, grouped by
 * environment. With a key that verifies the environment, a keyed fingerprint (or, opted
 * in, the value); without one, a fingerprint of the ciphertext, so a change still shows
 * as one changed line. An environment that fails verification says so on its heading,
 * and none of its values are opened.
 */
export function vaultDiffText(doc: VaultDoc, keysFor: (env: string) => KeyAnswer, options: DiffTextOptions): string {
  const out = [`# sealenv vault, format ${doc.version}, default environment ${doc.defaultEnv}`];
  for (const envName of Object.keys(doc.environments).sort(byCodePoint)) {
    const env = doc.environments[envName]!;
    const found = keysFor(envName);
    const keys = "keys" in found ? found.keys : undefined;
    const note = "failed" in found ? ` FAILS VERIFICATION (${found.failed}): showing ciphertext fingerprints` : keys ? "" : " (no key here: showing ciphertext fingerprints)";
    out.push("", `[${envName}] generation ${env.generation} key ${env.keyId.slice(0, 8)}${note}`);
    for (const slot of env.slots) {
      out.push(slot.type === "recipient" ? `# member ${slot.member} (${slot.kind} ${publicKeyFingerprint(slot.pk)})` : `# passphrase slot (argon2id ops ${slot.ops}, ${slot.mem / 1024 / 1024} MiB)`);
    }
    const fingerprints = keys && !options.values ? valueFingerprints(keys) : undefined;
    for (const name of Object.keys(env.secrets).sort(byCodePoint)) {
      const sealed = env.secrets[name]!;
      if (!keys) {
        out.push(`${name}  sealed ${sealedFingerprint(sealed)}`);
        continue;
      }
      let value: string;
      try {
        value = openValue(keys, { vaultId: doc.id, env: envName, name }, sealed).value;
      } catch {
        out.push(`${name}  UNREADABLE (modified outside sealenv)`);
        continue;
      }
      out.push(fingerprints ? `${name}  fingerprint ${fingerprints.of(value)}` : `${name} = ${JSON.stringify(value)}`);
    }
    fingerprints?.wipe();
  }
  return `${out.join("\n")}\n`;
}
