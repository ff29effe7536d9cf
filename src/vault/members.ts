import { formatAgeRecipient, fromB64, loadSodium, pluginNameOf, pluginRecipientOf, publicKeyFingerprint, toB64, type EnvKeys, type Recipient } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { byCodePoint, checkMemberName, type RecipientSlot, type VaultDoc } from "../format/index.js";
import { mutateVault, resealEnvironment, verifiedEnvironment } from "./mutate.js";
import { rotateEnvironment, type RotateOptions } from "./rotate.js";
import { environmentOf, type OpenVault, type Session } from "./session.js";
import { missingForPlugin, sealMemberBox } from "../keys/index.js";

/** One member key: a label and a public key, with the environments it opens. */
export interface Member {
  name: string;
  kind: RecipientSlot["kind"];
  /** 16 hex digits over the public key: what tells two keys apart, whatever their labels say. */
  fingerprint: string;
  environments: string[];
  /** Another key carries the same label: a second person, a changed key, or a planted slot. */
  sharedLabel: boolean;
  /** For age members, the `age1...` recipient; for plugin ones, also the plugin's name. */
  recipient?: string;
  plugin?: string;
}

/**
 * Seals each environment's data key to the member's public key. The caller passes the
 * keys it unlocked: nobody can grant what they cannot open.
 */
export async function addMember(v: OpenVault, name: string, recipient: Recipient, grants: { envName: string; keys: EnvKeys }[]): Promise<void> {
  checkMemberName(name);
  const pk = toB64(recipient.publicKey);
  // Sealed before the lock is taken (an age box is written asynchronously); each box holds
  // only the key it was given, which the write below checks is still the current one.
  const boxes = new Map<string, string>();
  for (const { envName, keys } of grants) boxes.set(envName, await sealMemberBox(recipient, keys.dataKey));
  await mutateVault(v, (doc) => {
    for (const { envName, keys } of grants) {
      const env = verifiedEnvironment(doc, envName, keys);
      const other = env.slots.find((s) => s.type === "recipient" && s.pk === pk && s.member !== name);
      if (other?.type === "recipient") {
        throw new VaultError("exists", `that key already belongs to member ${other.member} in ${envName}`, "one key, one member name");
      }
      // Re-adding a member replaces their slot: that is how a member changes keys.
      env.slots = env.slots.filter((s) => !(s.type === "recipient" && s.member === name));
      env.slots.push({ type: "recipient", member: name, kind: recipient.kind, pk, box: boxes.get(envName) as string });
      resealEnvironment(doc, envName, keys);
    }
  });
}

/** Every member slot, one row per (label, key), so nothing hides behind a name shown once. Needs no key, but libsodium for the fingerprints. */
export async function listMembers(doc: VaultDoc): Promise<Member[]> {
  if (Object.values(doc.environments).some((env) => env.slots.some((slot) => slot.type === "recipient"))) await loadSodium();
  const rows = new Map<string, Member>();
  for (const envName of Object.keys(doc.environments).sort(byCodePoint)) {
    for (const slot of environmentOf(doc, envName).slots) {
      if (slot.type !== "recipient") continue;
      const fingerprint = publicKeyFingerprint(slot.pk);
      const id = `${slot.member}\0${fingerprint}`;
      const row = rows.get(id) ?? { name: slot.member, kind: slot.kind, fingerprint, environments: [], sharedLabel: false, ...ageRecipientOf(slot) };
      if (!row.environments.includes(envName)) row.environments.push(envName);
      rows.set(id, row);
    }
  }
  const members = [...rows.values()];
  for (const m of members) m.sharedLabel = members.some((o) => o !== m && o.name === m.name);
  return members.sort((a, b) => byCodePoint(a.name, b.name) || byCodePoint(a.fingerprint, b.fingerprint));
}

function ageRecipientOf(slot: RecipientSlot): Pick<Member, "recipient" | "plugin"> {
  if (slot.kind === "age") {
    const pk = fromB64(slot.pk);
    return pk ? { recipient: formatAgeRecipient(pk) } : {};
  }
  const recipient = slot.kind === "age-plugin" ? pluginRecipientOf(slot.pk) : undefined;
  const plugin = recipient && pluginNameOf(recipient);
  return recipient && plugin ? { recipient, plugin } : {};
}

/**
 * The member keys a `vault member rm` argument means: every key with that label, or the
 * one key whose fingerprint starts with it (8 hex digits at least, `:` optional).
 */
export async function membersMatching(doc: VaultDoc, target: string): Promise<Member[]> {
  const all = await listMembers(doc);
  const byLabel = all.filter((m) => m.name === target);
  if (byLabel.length) return byLabel;
  const hex = target.toLowerCase().replace(/:/g, "");
  if (!/^[0-9a-f]{8,16}$/.test(hex)) return [];
  const keys = new Set(all.filter((m) => m.fingerprint.replace(/:/g, "").startsWith(hex)).map((m) => m.fingerprint));
  if (keys.size > 1) throw new VaultError("usage", `${target} is the start of ${keys.size} member keys`, "give more digits of the fingerprint (`vault member ls`)");
  return all.filter((m) => keys.has(m.fingerprint));
}

export interface Revocation {
  env: string;
  /** What the removed keys could read: these values must be changed where they come from. */
  secrets: string[];
}

/**
 * Removes member keys (by label or fingerprint) and rotates every environment they could
 * open: new data key, every value re-encrypted, the other slots re-wrapped, the caller's
 * keychain updated.
 */
/**
 * Removes a member's slots and rotates every environment they could open. `passphrases`
 * re-wraps each environment's passphrase slots with that environment's own passphrase
 * (environments need not share one).
 */
export async function removeMember(
  s: Session,
  v: OpenVault,
  target: string,
  unlocked: Map<string, EnvKeys>,
  options: Omit<RotateOptions, "removeSlot" | "passphrase"> & { passphrases?: Map<string, string> },
): Promise<Revocation[]> {
  const matched = await membersMatching(v.doc, target);
  if (matched.length === 0) throw new VaultError("not_found", `no member ${target} in this vault`, "`vault member ls` lists labels and key fingerprints");
  const fingerprints = new Set(matched.map((m) => m.fingerprint));
  const labels = new Set(matched.map((m) => m.name));
  const removeSlot = (slot: RecipientSlot) => labels.has(slot.member) && fingerprints.has(publicKeyFingerprint(slot.pk));
  const envs = environmentsOfMembers(matched);
  requirePluginsFor(v, envs, removeSlot, s.environ);
  const out: Revocation[] = [];
  for (const envName of envs) {
    const keys = unlocked.get(envName);
    if (!keys) throw new VaultError("no_key", `cannot remove ${target} from ${envName} without its key`, `unlock ${envName} first`);
    const secrets = Object.keys(environmentOf(v.doc, envName).secrets).sort(byCodePoint);
    const { passphrases, ...rest } = options;
    const passphrase = passphrases?.get(envName);
    await rotateEnvironment(s, v, envName, keys, { ...rest, removeSlot, ...(passphrase === undefined ? {} : { passphrase }) });
    out.push({ env: envName, secrets });
  }
  return out;
}

/**
 * Every environment is rotated in turn, and each re-seals its plugin members through their
 * plugin: one missing half-way would leave the member removed from some environments and
 * not others. So all are checked before anything is written.
 */
function requirePluginsFor(v: OpenVault, envs: string[], removed: (slot: RecipientSlot) => boolean, environ: NodeJS.ProcessEnv): void {
  for (const envName of envs) {
    for (const slot of environmentOf(v.doc, envName).slots) {
      if (slot.type !== "recipient" || slot.kind !== "age-plugin" || removed(slot)) continue;
      const plugin = pluginNameOf(pluginRecipientOf(slot.pk) ?? "") ?? "";
      const missing = missingForPlugin(plugin, environ);
      if (missing) {
        throw new VaultError(
          "command_not_found",
          `${envName} has a member (${slot.member}) sealed through age-plugin-${plugin}, and re-sealing it needs ${missing}: nothing was changed`,
          `install ${missing}, or remove that member first; if you never added it, check \`git log -p\` for who did`,
        );
      }
    }
  }
}

export function environmentsOfMembers(members: Member[]): string[] {
  return [...new Set(members.flatMap((m) => m.environments))].sort(byCodePoint);
}
