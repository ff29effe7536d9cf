import { readAllSecrets, closeKeys } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { loaderVariables, mergeEnvironment, runChild, type ChildExit } from "../../run/index.js";
import { note } from "../output.js";
import { audited } from "../audited.js";
import type { OptionsOf } from "../grammar.js";
import { openUnlocked } from "../unlock.js";

type RunOptions = OptionsOf<"run">;

/** --mask, or VAULT_MASK=1 set once in a CI configuration. */
function masking(opts: RunOptions): boolean {
  return Boolean(opts.mask) || /^(1|true|yes)$/i.test(process.env.VAULT_MASK ?? "");
}

export async function runCommand(command: string[], opts: RunOptions): Promise<ChildExit> {
  const [program, ...args] = command;
  if (!program) throw new VaultError("usage", "no command to run", "usage: vault run [--env NAME] -- COMMAND [ARGS...]");
  const u = await openUnlocked(opts);
  const secrets = readAllSecrets(u.v.doc, u.envName, u.keys, process.env);
  // The child may run for days; the key has done its work.
  closeKeys(u.keys);
  const mask = masking(opts) ? Object.entries(secrets).map(([name, value]) => ({ name, value })) : undefined;
  const risky = loaderVariables(Object.keys(secrets));
  if (risky.length) {
    note(`warning: the vault sets ${risky.join(", ")}, which make ${program} load and run other code; check they are meant to be there`);
  }
  await audited(`run ${program}`, u.v, u.envName, { all: Object.keys(secrets) });
  return runChild(program, args, mergeEnvironment(process.env, secrets, Boolean(opts.override)), mask);
}
