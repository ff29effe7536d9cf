import { parseKeyString } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { keyVariableFor } from "../format/index.js";
import { requireCurrent } from "./fit.js";
import type { KeySource } from "./types.js";

/**
 * VAULT_KEY_<ENV>, then VAULT_KEY: the CI path. Found: the variable holds the current key.
 * Not here: neither is set, or VAULT_KEY holds another environment's key (it is meant for
 * one environment; the others may open another way). Fails: a variable that is set but
 * broken, stale or wrong (bad_key_string, stale_key, wrong_key, other_env_key): CI should
 * fail loudly, not fall through to a prompt.
 */
export const envVarSource: KeySource = {
  async find(ctx, attempts) {
    for (const variable of [keyVariableFor(ctx.envName), "VAULT_KEY"]) {
      const text = ctx.environ[variable];
      if (!text) {
        attempts.push({ source: variable, outcome: "not set" });
        continue;
      }
      const key = parseKeyString(text, variable);
      if (key.env !== ctx.envName && variable === "VAULT_KEY") {
        attempts.push({ source: variable, outcome: `holds the key for ${key.env}`, otherEnv: key.env });
        continue;
      }
      if (key.env !== ctx.envName) {
        throw new VaultError(
          "other_env_key",
          `${variable} holds the key for ${key.env}, not ${ctx.envName}`,
          `pass --env ${key.env} to use it, or set ${keyVariableFor(ctx.envName)} to the ${ctx.envName} key`,
        );
      }
      return { keys: requireCurrent(ctx, key.dataKey, variable), source: variable, keyString: true };
    }
    return undefined;
  },
};
