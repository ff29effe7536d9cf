import { deriveKeys, openSealed, toB64, wipeKeys } from "../crypto/index.js";
import type { RecipientSlot } from "../format/index.js";
import { fitOf } from "./fit.js";
import { findIdentities } from "./identities.js";
import type { KeySource } from "./types.js";

const SOURCE = "your identity";
/** A member has one slot per environment; a few more allow for a key holder's decoys, thousands are a flood. */
const MAX_TRIES_PER_IDENTITY = 8;

/**
 * Step 3 of the brief: an identity of this user that opens one of the environment's member
 * slots. Found: a slot for one of the user's identities opens to the current key. Not
 * here: no members, no identity, a stored identity that is damaged, or no slot of theirs
 * that opens to the current key. Anyone can seal a box to a public key, so a slot that
 * opens to another key (a decoy, or an old key a removed member re-sealed) is skipped and
 * the next one tried: a planted slot cannot lock a member out. Fails: VAULT_IDENTITY set
 * but not an identity (bad_key_string), or a private key file, the identity file or the
 * ssh key it would use, that others may read or that cannot be read (io): as ssh, it
 * refuses rather than pass over a key that may have been copied or swapped.
 */
export const identitySource: KeySource = {
  async find(ctx, attempts) {
    // age members' slots are the age identity source's (age-source.ts).
    const slots = ctx.env.slots.filter((s): s is RecipientSlot => s.type === "recipient" && s.kind !== "age" && s.kind !== "age-plugin");
    if (slots.length === 0) {
      attempts.push({ source: SOURCE, outcome: `${ctx.envName} has no ${ctx.env.slots.some((s) => s.type === "recipient") ? "sealenv or ssh-ed25519 " : ""}members` });
      return undefined;
    }
    const identities = await findIdentities(ctx.environ, (origin, why) => attempts.push({ source: origin, outcome: `not usable: ${why}` }));
    if (identities.length === 0) {
      attempts.push({ source: SOURCE, outcome: "no identity on this machine (`vault identity new`)" });
      return undefined;
    }
    let misfits = 0;
    let stale = false;
    for (const { identity, origin } of identities) {
      const pk = toB64(identity.publicKey);
      for (const slot of slots.filter((s) => s.pk === pk).slice(0, MAX_TRIES_PER_IDENTITY)) {
        const dataKey = openSealed(slot.box, identity);
        if (!dataKey || dataKey.length !== 32) continue;
        const keys = deriveKeys(dataKey);
        const fit = fitOf(ctx, keys.keyId);
        if (fit === "current") return { keys, source: origin, memberSlot: true };
        wipeKeys(keys);
        misfits++;
        stale ||= fit === "stale";
      }
    }
    if (misfits > 0) {
      attempts.push({ source: SOURCE, outcome: `${misfits} member slot(s) for you hold a key that is not ${ctx.envName}'s current one`, stale });
      return undefined;
    }
    attempts.push({ source: SOURCE, outcome: `not a member of ${ctx.envName} (members: ${[...new Set(slots.map((s) => s.member))].join(", ")})`, notMember: true });
    return undefined;
  },
};
