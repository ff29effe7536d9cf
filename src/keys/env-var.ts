import { parseKeyString } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { keyVariableFor } from "../format/index.js";
import { requireCurrent } from "./fit.js";
import type { KeySource } from "./types.js";

/**
 * VAULT_KEY_<ENV>, then VAULT_KEY: the CI path. A variable that is set but broken,
 * stale or wrong is an error, not a reason to try the next source: CI should fail
 * loudly. Only VAULT_KEY holding another environment's key is passed over, since it is
 * meant for one environment and the others may open another way.
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
