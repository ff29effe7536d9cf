import { verifiedEnvironment } from "./mutate.js";
import { readRawSecrets } from "./secrets.js";
import { isVaultError } from "../errors.js";
import { resolveKey } from "../keys/index.js";
import type { OpenVault, Session } from "./session.js";

export interface EnvironmentHealth {
  env: string;
  /** Where its key came from, if anywhere. */
  source?: string;
  /** Why it could not be opened, or what is wrong inside it. */
  problem?: string;
  /** True when the problem is damage, not just a missing key. */
  damaged?: boolean;
}

/** For `vault doctor`: which key source opens each environment here, and whether it verifies. Never prompts. */
export async function environmentHealth(s: Session, v: OpenVault): Promise<EnvironmentHealth[]> {
  const out: EnvironmentHealth[] = [];
  for (const [envName, env] of Object.entries(v.doc.environments)) {
    let source: string;
    let keys;
    try {
      const found = await resolveKey({ vaultId: v.doc.id, envName, env, environ: s.environ });
      source = found.source;
      keys = found.keys;
    } catch (err) {
      if (!isVaultError(err)) throw err;
      out.push({ env: envName, problem: err.message });
      continue;
    }
    try {
      verifiedEnvironment(v.doc, envName, keys);
      readRawSecrets(v.doc, envName, keys);
      out.push({ env: envName, source });
    } catch (err) {
      if (!isVaultError(err)) throw err;
      out.push({ env: envName, source, problem: err.message, damaged: true });
    }
  }
  return out;
}
