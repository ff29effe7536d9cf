import { chosenEnv, environmentNames, exampleOf, openVault } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { sessionOf } from "../context.js";
import { exampleText } from "../env-example.js";
import type { OptionsOf } from "../grammar.js";
import { note, print } from "../output.js";

type ExampleOptions = OptionsOf<"example">;

/**
 * The names, ready to commit as .env.example. Names are plaintext: no key is needed, and
 * none is asked for; templates are marked in the environments whose key is here.
 */
export async function exampleCommand(opts: ExampleOptions): Promise<void> {
  if (opts.all && opts.env !== undefined) throw new VaultError("usage", "--all and --env both pick environments", "give one of them");
  const s = sessionOf({ ...opts, yes: true });
  const v = await openVault(s);
  const envs = opts.all ? environmentNames(v.doc) : [chosenEnv(s, v.doc)];
  const { entries, unopened } = await exampleOf(s, v, envs);
  print(exampleText(entries, envs, Boolean(opts.all)));
  if (unopened.length) note(`no key for ${unopened.join(", ")} here: templates there are not marked`);
}
