import { createIdentity, showIdentity } from "../../vault.js";
import type { OptionsOf } from "../grammar.js";
import { note, print } from "../output.js";

export async function identityNewCommand(opts: OptionsOf<"identity new">): Promise<void> {
  const { recipient, storedIn } = await createIdentity(process.env, Boolean(opts.force));
  print(recipient);
  note(`created your identity; its private half is in ${storedIn}`);
  note("share the line above with your team: `vault member add YOUR_NAME <that line> --env ...` gives you access");
}

export async function identityShowCommand(): Promise<void> {
  print(await showIdentity(process.env));
}
