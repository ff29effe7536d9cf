import { openSealed, toB64 } from "../crypto/index.js";
import type { RecipientSlot } from "../format/index.js";
import { requireCurrent } from "./fit.js";
import { findIdentities } from "./identities.js";
import type { KeySource } from "./types.js";

const SOURCE = "your identity";

/** Step 3 of the brief: an identity of this user that opens one of the environment's member slots. */
export const identitySource: KeySource = {
  async find(ctx, attempts) {
    const slots = ctx.env.slots.filter((s): s is RecipientSlot => s.type === "recipient");
    if (slots.length === 0) {
      attempts.push({ source: SOURCE, outcome: `${ctx.envName} has no members` });
      return undefined;
    }
    const identities = await findIdentities(ctx.environ);
    if (identities.length === 0) {
      attempts.push({ source: SOURCE, outcome: "no identity on this machine (`vault identity new`)" });
      return undefined;
    }
    for (const { identity, origin } of identities) {
      const pk = toB64(identity.publicKey);
      for (const slot of slots.filter((s) => s.pk === pk)) {
        const dataKey = openSealed(slot.box, identity);
        if (dataKey) return { keys: requireCurrent(ctx, dataKey, `the member slot of ${slot.member}`), source: origin };
      }
    }
    attempts.push({ source: SOURCE, outcome: `not a member of ${ctx.envName} (members: ${[...new Set(slots.map((s) => s.member))].join(", ")})`, notMember: true });
    return undefined;
  },
};
