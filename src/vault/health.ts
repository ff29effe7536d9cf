import { loadSodium } from "../crypto/index.js";
import { readRawSecrets } from "./secrets.js";
import { isVaultError } from "../errors.js";
import { tryOpenEnvironment } from "./open.js";
import type { OpenVault, Session } from "./session.js";

export interface EnvironmentHealth {
  env: string;
  /** Where its key came from, if anywhere. */
  source?: string;
  /** Why it could not be opened, or what is wrong inside it. */
  problem?: string;
  /** True when the problem is damage (tampered, rolled back, replaced), not just a missing key. */
  damaged?: boolean;
}

/** For `vault doctor`: which key source opens each environment here, and whether it verifies. Never prompts. */
export async function environmentHealth(s: Session, v: OpenVault): Promise<EnvironmentHealth[]> {
  const out: EnvironmentHealth[] = [];
  for (const envName of Object.keys(v.doc.environments)) {
    const attempt = await tryOpenEnvironment({ ...s, askPassphrase: undefined }, v, envName);
    if ("missing" in attempt) {
      out.push({ env: envName, problem: attempt.missing.message });
      continue;
    }
    if ("failed" in attempt) {
      out.push({ env: envName, problem: attempt.failed.message, damaged: true });
      continue;
    }
    try {
      readRawSecrets(v.doc, envName, attempt.opened.keys);
      out.push({ env: envName, source: attempt.opened.source });
    } catch (err) {
      if (!isVaultError(err)) throw err;
      out.push({ env: envName, source: attempt.opened.source, problem: err.message, damaged: true });
    }
  }
  return out;
}

/**
 * For `vault doctor`: which libsodium build serves this machine, "native" (sodium-native's
 * prebuild) or "wasm" where none loads. Throws the VaultError that says neither does.
 */
export async function libsodiumBuild(): Promise<"native" | "wasm"> {
  return (await loadSodium()).build;
}
