import { chosenEnv, listNames, openVault } from "../../vault.js";
import { sessionOf } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { print } from "../output.js";

type LsOptions = OptionsOf<"ls">;

/** Names are plaintext in the file: listing them needs no key. */
export async function lsCommand(opts: LsOptions): Promise<void> {
  const s = sessionOf(opts);
  const v = await openVault(s);
  const names = listNames(v.doc, chosenEnv(s, v.doc));
  if (opts.json) print(JSON.stringify(names));
  else if (names.length) print(names.join("\n"));
}
