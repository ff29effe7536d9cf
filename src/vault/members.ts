import { sealToRecipient, toB64, type EnvKeys, type Recipient } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { byCodePoint, checkMemberName, type RecipientSlot, type VaultDoc } from "../format/index.js";
import { mutateVault, verifiedEnvironment } from "./mutate.js";
import { rotateEnvironment, type RotateOptions } from "./rotate.js";
import { environmentOf, type OpenVault } from "./session.js";

export interface Member {
  name: string;
  kind: RecipientSlot["kind"];
  /** The start of their public key, to tell two keys apart. */
  key: string;
  environments: string[];
}

/**
 * Seals each environment's data key to the member's public key. The caller passes the
 * keys it unlocked: nobody can grant what they cannot open.
 */
export async function addMember(v: OpenVault, name: string, recipient: Recipient, grants: { envName: string; keys: EnvKeys }[]): Promise<void> {
  checkMemberName(name);
  const pk = toB64(recipient.publicKey);
  await mutateVault(v, (doc) => {
    for (const { envName, keys } of grants) {
      const env = verifiedEnvironment(doc, envName, keys);
      const other = env.slots.find((s) => s.type === "recipient" && s.pk === pk && s.member !== name);
      if (other?.type === "recipient") {
        throw new VaultError("exists", `that key already belongs to member ${other.member} in ${envName}`, "one key, one member name");
      }
      // Re-adding a member replaces their slot: that is how a member changes keys.
      env.slots = env.slots.filter((s) => !(s.type === "recipient" && s.member === name));
      env.slots.push({ type: "recipient", member: name, kind: recipient.kind, pk, box: sealToRecipient(keys.dataKey, recipient.publicKey) });
    }
  });
}

export function listMembers(doc: VaultDoc): Member[] {
  const byName = new Map<string, Member>();
  for (const envName of Object.keys(doc.environments).sort(byCodePoint)) {
    for (const slot of environmentOf(doc, envName).slots) {
      if (slot.type !== "recipient") continue;
      const m = byName.get(slot.member) ?? { name: slot.member, kind: slot.kind, key: slot.pk.slice(0, 12), environments: [] };
      m.environments.push(envName);
      byName.set(slot.member, m);
    }
  }
  return [...byName.values()].sort((a, b) => byCodePoint(a.name, b.name));
}

export function environmentsOfMember(doc: VaultDoc, name: string): string[] {
  return listMembers(doc).find((m) => m.name === name)?.environments ?? [];
}

export interface Revocation {
  env: string;
  /** What the member could read: these values must be changed where they come from. */
  secrets: string[];
}

/**
 * Removes a member and rotates every environment they could open: new data key, every
 * value re-encrypted, the other slots re-wrapped, the caller's keychain updated.
 */
export async function removeMember(v: OpenVault, name: string, unlocked: Map<string, EnvKeys>, options: Omit<RotateOptions, "removeMember">): Promise<Revocation[]> {
  const envs = environmentsOfMember(v.doc, name);
  if (envs.length === 0) throw new VaultError("not_found", `no member ${name} in this vault`, "`vault member ls` lists them");
  const out: Revocation[] = [];
  for (const envName of envs) {
    const keys = unlocked.get(envName);
    if (!keys) throw new VaultError("no_key", `cannot remove ${name} from ${envName} without its key`, `unlock ${envName} first`);
    const secrets = Object.keys(environmentOf(v.doc, envName).secrets).sort(byCodePoint);
    await rotateEnvironment(v, envName, keys, { ...options, removeMember: name });
    out.push({ env: envName, secrets });
  }
  return out;
}
