import { readFileSync } from "node:fs";
import { deriveKeys, kdfCost, openPassphraseSlot, wipeKeys, type EnvKeys } from "../crypto/index.js";
import { VaultError } from "../errors.js";
import { passphraseVariableFor, type PassphraseSlot } from "../format/index.js";
import { fitOf } from "./fit.js";
import type { KeyContext, KeySource } from "./types.js";

const PROMPT_TRIES = 3;

/**
 * VAULT_PASSPHRASE_<ENV>, VAULT_PASSPHRASE, VAULT_PASSPHRASE_FILE, or a hidden prompt when
 * we may ask. Found: the passphrase opens a slot holding the current key. Not here: no
 * passphrase slot, no Argon2id allowed here (git's drivers, scans), or no passphrase given
 * and no terminal. Fails: a passphrase given in the environment that opens no slot
 * (wrong_key: CI should fail loudly), an unreadable VAULT_PASSPHRASE_FILE (io), three
 * wrong typed tries (wrong_key), a prompt cancelled (cancelled).
 */
export const passphraseSource: KeySource = {
  async find(ctx, attempts) {
    const slots = ctx.env.slots.filter((s): s is PassphraseSlot => s.type === "passphrase");
    if (slots.length === 0) {
      attempts.push({ source: "a passphrase", outcome: `${ctx.envName} has no passphrase slot` });
      return undefined;
    }
    if (ctx.kdf === false) {
      attempts.push({ source: "a passphrase", outcome: "not tried here (git's drivers and scans never run Argon2id)" });
      return undefined;
    }
    const given = passphraseFromEnviron(ctx.environ, ctx.envName);
    if (given) {
      const keys = openAny(ctx, slots, given.passphrase);
      if (!keys) {
        throw new VaultError("wrong_key", `${given.origin} does not open ${ctx.envName}: wrong passphrase`, `check ${given.origin}`);
      }
      return { keys, source: given.origin };
    }
    if (!ctx.askPassphrase) {
      attempts.push({ source: "a passphrase", outcome: `${passphraseVariableFor(ctx.envName)}, VAULT_PASSPHRASE and VAULT_PASSPHRASE_FILE not set, and no terminal to ask on` });
      return undefined;
    }
    for (let i = 0; i < PROMPT_TRIES; i++) {
      const passphrase = await ctx.askPassphrase(`Passphrase for ${ctx.envName}:`);
      const keys = openAny(ctx, slots, passphrase);
      if (keys) return { keys, source: "a passphrase", prompted: true };
    }
    throw new VaultError("wrong_key", `wrong passphrase for ${ctx.envName} (${PROMPT_TRIES} tries)`, "if it is lost, ask a teammate who holds the key to add a new slot");
  },
};

/**
 * The current key from the first slot the passphrase opens, cheapest slot first: a costly
 * slot planted beside the real one is then never hashed when the passphrase is right.
 */
function openAny(ctx: KeyContext, slots: PassphraseSlot[], passphrase: string): EnvKeys | undefined {
  for (const slot of [...slots].sort((a, b) => kdfCost(a) - kdfCost(b))) {
    const dataKey = openPassphraseSlot(slot, passphrase);
    if (!dataKey) continue;
    const keys = deriveKeys(dataKey);
    if (fitOf(ctx, keys.keyId) === "current") return keys;
    wipeKeys(keys);
  }
  return undefined;
}

/**
 * A passphrase given in the environment: VAULT_PASSPHRASE_<ENV> for that environment (as
 * VAULT_KEY_<ENV>), then VAULT_PASSPHRASE, then the file VAULT_PASSPHRASE_FILE names.
 */
export function passphraseFromEnviron(environ: NodeJS.ProcessEnv, envName?: string): { passphrase: string; origin: string } | undefined {
  const own = envName === undefined ? undefined : passphraseVariableFor(envName);
  // An environment named "file" would collide with VAULT_PASSPHRASE_FILE: it uses VAULT_PASSPHRASE.
  if (own !== undefined && own !== "VAULT_PASSPHRASE_FILE" && Object.hasOwn(environ, own) && environ[own]) return { passphrase: environ[own], origin: own };
  if (environ.VAULT_PASSPHRASE) return { passphrase: environ.VAULT_PASSPHRASE, origin: "VAULT_PASSPHRASE" };
  const file = environ.VAULT_PASSPHRASE_FILE;
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new VaultError("io", `cannot read VAULT_PASSPHRASE_FILE (${file})`, "check the path and its permissions");
  }
  // Files written by `echo` end in a newline that is not part of the passphrase.
  return { passphrase: text.replace(/\r?\n$/, ""), origin: "VAULT_PASSPHRASE_FILE" };
}
