import { addMember, chosenEnv, defaultChosen, environmentsOfMembers, hasPassphraseSlot, listMembers, membersMatching, openEnvironment, openEnvironments, openVault, recipientFrom, removeMember, type Member } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { checkEnvName, checkMemberName } from "../../names.js";
import { sessionOf, type CommonOptions } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { note, print } from "../output.js";
import { rewrapPassphrase } from "../passphrases.js";
import { progress } from "../progress.js";
import { audited } from "../audited.js";

export async function memberAddCommand(name: string, publicKey: string, opts: CommonOptions): Promise<void> {
  checkMemberName(name);
  const recipient = await recipientFrom(publicKey);
  const s = sessionOf({ ...opts, env: undefined });
  const v = await openVault(s);
  const envs = opts.env ? opts.env.split(",").map((e) => checkEnvName(e.trim())) : [chosenEnv(s, v.doc)];
  const opened = await openEnvironments(s, v, envs);
  await addMember(v, name, recipient, [...opened].map(([envName, keys]) => ({ envName, keys })));
  for (const envName of envs) await audited(`member add ${name}`, v, envName, { names: [] });
  note(`${name} can now open ${envs.join(", ")}`);
}

/** One line per member key: label, kind, fingerprint, environments; a label on two keys is flagged. */
export async function memberLsCommand(opts: OptionsOf<"member ls">): Promise<void> {
  const v = await openVault(sessionOf(opts));
  const members = await listMembers(v.doc);
  if (opts.json) print(JSON.stringify(members));
  else if (members.length) print(members.map(memberLine).join("\n"));
  else note("no members yet: `vault member add NAME KEY --env ...`");
  const shared = [...new Set(members.filter((m) => m.sharedLabel).map((m) => m.name))];
  for (const name of shared) {
    note(`warning: ${name} labels more than one key; check the fingerprints with ${name}, and remove the one that is not theirs with \`vault member rm FINGERPRINT\``);
  }
}

const memberLine = (m: Member) => `${m.name}  ${m.plugin ? `age-plugin-${m.plugin}` : m.kind}  ${m.fingerprint}  ${m.environments.join(", ")}${m.sharedLabel ? "  (label shared with another key)" : ""}`;

/** Removes member keys by label or fingerprint, rotates what they could open, and lists what they could read. */
export async function memberRmCommand(target: string, opts: CommonOptions): Promise<void> {
  const s = sessionOf({ ...opts, env: undefined });
  const v = await openVault(s);
  const matched = await membersMatching(v.doc, target);
  if (matched.length === 0) throw new VaultError("not_found", `no member ${target} in this vault`, "`vault member ls` lists labels and key fingerprints");
  const envs = environmentsOfMembers(matched);
  const unlocked = await openEnvironments(s, v, envs);
  // Each environment's passphrase slots are re-wrapped with that environment's own passphrase.
  const passphrases = new Map<string, string>();
  for (const envName of envs.filter((e) => hasPassphraseSlot(v.doc, e))) {
    const given = await rewrapPassphrase(opts, `Passphrase for ${envName} (to re-wrap its passphrase slot):`, envName);
    if (given !== undefined) passphrases.set(envName, given);
  }
  const options = { onProgress: progress("re-encrypting"), passphrases };
  const revoked = await removeMember(s, v, target, unlocked, options);
  const who = [...new Set(matched.map((m) => `${m.name} (${m.fingerprint})`))].join(", ");
  for (const r of revoked) await audited(`member rm ${target}`, v, r.env, { all: r.secrets });
  note(`removed ${who} and rotated ${revoked.map((r) => r.env).join(", ")}: new keys, every value re-encrypted`);
  note(`they could read these; change them where they come from (the provider's console), then \`vault set\` them:`);
  print(revoked.flatMap((r) => r.secrets.map((secret) => `${r.env} ${secret}`)).join("\n"));
}

export async function trustCommand(opts: CommonOptions): Promise<void> {
  const s = sessionOf(opts);
  const v = await openVault(s);
  const envName = chosenEnv(s, v.doc);
  await openEnvironment(s, v, envName, { trust: true, asDefault: defaultChosen(s) });
  note(`this machine now trusts this vault (id ${v.doc.id}) here and the current key of ${envName}`);
}
