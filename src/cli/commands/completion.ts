import type { Command } from "commander";
import { completionScript } from "../completion-scripts.js";
import { listNames, openVault, chosenEnv } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { sessionOf, type CommonOptions } from "../context.js";
import { print } from "../output.js";

export async function completionCommand(shell: string, program: Command): Promise<void> {
  const script = completionScript(shell, program);
  if (script === undefined) throw new VaultError("usage", `no completion for ${JSON.stringify(shell)}`, "use bash, zsh or fish");
  print(script);
}

/** `vault __complete envs|secrets`: names for the completion scripts; names need no key. */
export async function completeNamesCommand(what: string, opts: CommonOptions): Promise<void> {
  const s = sessionOf({ ...opts, yes: true });
  const v = await openVault(s);
  if (what === "envs") print(Object.keys(v.doc.environments).sort().join("\n"));
  else print(listNames(v.doc, chosenEnv(s, v.doc)).join("\n"));
}
