import { checkSecret, readStoredSecrets, setSecrets } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { checkSecretName } from "../../names.js";
import { warnUnresolved } from "../template-warnings.js";
import { interactive, readStdin, stdinIsTerminal, trimOneNewline, type CommonOptions } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { note } from "../output.js";
import { askHidden } from "../prompts.js";
import { audited } from "../audited.js";
import { openUnlocked } from "../unlock.js";
import { settleIfConflicted } from "../merge-conflicts.js";

type SetOptions = OptionsOf<"set">;

export async function setCommand(name: string, value: string | undefined, opts: SetOptions): Promise<void> {
  checkSecretName(name);
  if (value !== undefined && stdinIsTerminal()) {
    note("a value on the command line stays in shell history; leave it out to type it hidden");
  }
  // Unlock first: a passphrase prompt should come before the value prompt.
  const u = await openUnlocked(opts);
  const secret = { value: value ?? (await readValue(name, opts)), template: Boolean(opts.template) };
  checkSecret(name, secret);
  const changed = await setSecrets(u.v, u.envName, u.keys, { [name]: secret }, opts.rotateEvery === undefined ? {} : { rotateEvery: opts.rotateEvery });
  settleIfConflicted(u.v.file, u.envName, [name]);
  await audited("set", u.v, u.envName, { names: [name] });
  const policy = opts.rotateEvery ? ` (rotate every ${opts.rotateEvery})` : "";
  const kind = secret.template ? " (a template)" : "";
  const rotates = opts.rotateEvery ? `; it rotates every ${opts.rotateEvery}` : "";
  note(changed.length ? `set ${name} in ${u.envName}${kind}${policy}` : `${name} in ${u.envName} already had that value${rotates}`);
  if (secret.template) warnUnresolved({ ...readStoredSecrets(u.v.doc, u.envName, u.keys), [name]: secret }, [name]);
}

async function readValue(name: string, opts: CommonOptions): Promise<string> {
  if (interactive(opts)) return askHidden(`Value for ${name}:`);
  if (stdinIsTerminal()) {
    throw new VaultError("usage", `no value for ${name}`, "pipe it on stdin (`printf %s value | vault set NAME`), or run without --yes to type it");
  }
  return trimOneNewline(await readStdin());
}
