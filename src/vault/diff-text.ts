import { openValue, sealedFingerprint, valueFingerprint, type EnvKeys } from "../crypto/index.js";
import { byCodePoint, type VaultDoc } from "../format/index.js";

export interface DiffTextOptions {
  /** Show plaintext values (opt-in) instead of fingerprints. */
  values: boolean;
}

/**
 * What `git diff` compares instead of the raw JSON: one line per secret, grouped by
 * environment. With the key, a keyed fingerprint (or, opted in, the value); without it,
 * a fingerprint of the ciphertext, so a change still shows as one changed line.
 */
export function vaultDiffText(doc: VaultDoc, keysFor: (env: string) => EnvKeys | undefined, options: DiffTextOptions): string {
  const out = [`# sealenv vault, format ${doc.version}, default environment ${doc.defaultEnv}`];
  for (const envName of Object.keys(doc.environments).sort(byCodePoint)) {
    const env = doc.environments[envName]!;
    const keys = keysFor(envName);
    out.push("", `[${envName}] key ${env.keyId.slice(0, 8)}${keys ? "" : " (no key here: showing ciphertext fingerprints)"}`);
    for (const slot of env.slots) {
      out.push(slot.type === "recipient" ? `# member ${slot.member} (${slot.kind} ${slot.pk.slice(0, 12)})` : "# passphrase slot");
    }
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
      out.push(options.values ? `${name} = ${JSON.stringify(value)}` : `${name}  fingerprint ${valueFingerprint(keys, value)}`);
    }
  }
  return `${out.join("\n")}\n`;
}
