import { homedir } from "node:os";
import path from "node:path";
import { decryptWithPassphrase, deriveKeys, isAgeEncrypted, openAgeBox, parseAgeIdentities, pluginNameOf, pluginRecipientOf, toB64, wipeKeys, type AgeIdentity, type EnvKeys } from "../crypto/index.js";
import { isVaultError, VaultError } from "../errors.js";
import type { RecipientSlot } from "../format/index.js";
import { missingForPlugin, openWithAgeTool } from "./age-cli.js";
import { fitOf } from "./fit.js";
import { readKeyBytes, requireOwnerOnly } from "./identities.js";
import type { Attempt, KeyContext, KeySource } from "./types.js";

const SOURCE = "your age identities";
const PROMPT_TRIES = 3;
/** As for sealenv identities: a member has one slot per environment, a few more are decoys. */
const MAX_TRIES_PER_IDENTITY = 8;

/** Where age identities are read, in order; `pointed` ones the user set for sealenv itself. */
interface AgeKeyPlace {
  origin: string;
  file?: string;
  text?: string;
  pointed: boolean;
}

/**
 * Where age and SOPS users keep their identities: VAULT_AGE_KEY_FILE, SOPS_AGE_KEY_FILE,
 * SOPS_AGE_KEY (the text itself), then SOPS's keys.txt: $XDG_CONFIG_HOME/sops/age, else
 * ~/.config/sops/age on Linux, ~/Library/Application Support/sops/age on macOS,
 * %AppData%\sops\age on Windows.
 */
export function ageKeyPlaces(environ: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): AgeKeyPlace[] {
  const places: AgeKeyPlace[] = [];
  if (environ.VAULT_AGE_KEY_FILE) places.push({ origin: "VAULT_AGE_KEY_FILE", file: environ.VAULT_AGE_KEY_FILE, pointed: true });
  if (environ.SOPS_AGE_KEY_FILE) places.push({ origin: "SOPS_AGE_KEY_FILE", file: environ.SOPS_AGE_KEY_FILE, pointed: false });
  if (environ.SOPS_AGE_KEY) places.push({ origin: "SOPS_AGE_KEY", text: environ.SOPS_AGE_KEY, pointed: false });
  const home = environ.HOME || homedir();
  const config =
    platform === "win32"
      ? environ.APPDATA || path.join(home, "AppData", "Roaming")
      : environ.XDG_CONFIG_HOME || (platform === "darwin" ? path.join(home, "Library", "Application Support") : path.join(home, ".config"));
  const keys = path.join(config, "sops", "age", "keys.txt");
  if (!places.some((p) => p.file === keys)) places.push({ origin: keys, file: keys, pointed: false });
  return places;
}

/**
 * Step 3b, after the sealenv identity: an age identity that opens one of the environment's
 * age member slots; plugin identities (AGE-PLUGIN-NAME-1... in a plain identity file) open
 * age-plugin slots through the age tool (age-cli.ts), and where the age tool or the plugin
 * is missing, that is said as what to install (not here). Found: a slot for one of the identities opens to the current key. Not
 * here: no age members; no identity file (SOPS's keys.txt absent); SOPS_AGE_KEY_FILE,
 * SOPS_AGE_KEY or keys.txt that holds no age identity (set for SOPS, reported and passed
 * over); a passphrase-protected file with no terminal to ask on, or where no KDF may run;
 * or no slot of theirs opening to the current key (a planted slot is skipped, as for
 * sealenv identities). Fails: VAULT_AGE_KEY_FILE missing, unreadable, not age identities,
 * or passphrase-protected with no terminal (set for this run); a plaintext identity file
 * others may read, or one that cannot be read (io); three wrong typed passphrases
 * (wrong_key); a prompt cancelled.
 */
export const ageSource: KeySource = {
  async find(ctx, attempts) {
    const slots = ctx.env.slots.filter((s): s is RecipientSlot => s.type === "recipient" && (s.kind === "age" || s.kind === "age-plugin"));
    if (slots.length === 0) {
      attempts.push({ source: SOURCE, outcome: `${ctx.envName} has no age members` });
      return undefined;
    }
    let identities = 0;
    let misfits = 0;
    /** Slots for one of your identities that did not open at all: damaged, or planted. */
    let unopened = 0;
    let stale = false;
    /** A plugin slot of yours could not be tried: what is missing was said, so no "not a member". */
    let blocked = false;
    /** The current key, or undefined (counting a key that does not fit) for what a slot opened to. */
    const judge = (dataKey: Uint8Array | undefined): EnvKeys | undefined => {
      if (!dataKey) {
        unopened++;
        return undefined;
      }
      const keys = deriveKeys(dataKey);
      const fit = fitOf(ctx, keys.keyId);
      if (fit === "current") return keys;
      wipeKeys(keys);
      misfits++;
      stale ||= fit === "stale";
      return undefined;
    };
    for (const place of ageKeyPlaces(ctx.environ)) {
      const held = await identitiesAt(place, ctx, attempts);
      const source = `your age identity in ${place.origin}`;
      for (const identity of held.identities) {
        identities++;
        const pk = toB64(identity.publicKey);
        for (const slot of slots.filter((s) => s.kind === "age" && s.pk === pk).slice(0, MAX_TRIES_PER_IDENTITY)) {
          const keys = judge(await openAgeBox(slot.box, identity));
          if (keys) return { keys, source, memberSlot: true };
        }
      }
      for (const plugin of held.plugins) {
        const mine = slots.filter((s) => s.kind === "age-plugin" && pluginNameOf(pluginRecipientOf(s.pk) ?? "") === plugin).slice(0, MAX_TRIES_PER_IDENTITY);
        // A plugin may ask for a touch or a PIN: never for each file git diffs or a scan reads.
        if (ctx.kdf === false && mine.length > 0) {
          attempts.push({ source: place.origin, outcome: `age-plugin-${plugin} slots are not opened here (git's drivers and scans start no plugin)` });
          blocked = true;
          continue;
        }
        const missing = mine.length > 0 ? missingForPlugin(plugin, ctx.environ) : undefined;
        if (missing || (mine.length > 0 && !held.plainFile)) {
          const outcome = missing ? `opening age-plugin-${plugin} slots needs ${missing}` : `age-plugin-${plugin} identities are used from a plain identity file only`;
          attempts.push({ source: place.origin, outcome, unavailable: true });
          blocked = true;
          continue;
        }
        identities++;
        if (!held.plainFile) continue;
        for (const slot of mine) {
          const keys = judge(openWithAgeTool(slot.box, held.plainFile, ctx.environ));
          if (keys) return { keys, source, memberSlot: true };
        }
      }
    }
    if (misfits > 0) {
      attempts.push({ source: SOURCE, outcome: `${misfits} age member slot(s) for you hold a key that is not ${ctx.envName}'s current one`, stale });
    } else if (unopened > 0) {
      attempts.push({ source: SOURCE, outcome: `${unopened} age member slot(s) for you do not open: damaged, or planted (\`git log -p\` on the vault shows who changed it)` });
    } else if (identities > 0 && !blocked) {
      const members = [...new Set(slots.map((s) => s.member))].join(", ");
      attempts.push({ source: SOURCE, outcome: `none is an age member of ${ctx.envName} (age members: ${members})`, notMember: true });
    }
    return undefined;
  },
};

interface HeldIdentities {
  identities: AgeIdentity[];
  /** Names of the plugins whose identities (AGE-PLUGIN-NAME-1...) the place holds. */
  plugins: string[];
  /** The file, when it is a plain one the age tool can read for plugin identities. */
  plainFile?: string;
}

/** The identities one place holds; what is not usable is reported in `attempts`, or thrown when the user pointed at it. */
async function identitiesAt(place: AgeKeyPlace, ctx: KeyContext, attempts: Attempt[]): Promise<HeldIdentities> {
  const notHere = (outcome: string): HeldIdentities => {
    attempts.push({ source: place.origin, outcome });
    return { identities: [], plugins: [] };
  };
  let bytes: Buffer;
  if (place.file === undefined) {
    bytes = Buffer.from(place.text ?? "", "utf8");
  } else {
    const read = readKeyBytes(place.file);
    if (!read) {
      if (place.pointed) throw new VaultError("io", `${place.origin} names ${place.file}, which does not exist`, "point it at your age identity file (`age-keygen -o FILE` makes one)");
      return notHere("no age identity file");
    }
    bytes = read.bytes;
    if (!isAgeEncrypted(bytes)) requireOwnerOnly(place.file, read.mode);
  }
  let text = bytes.toString("utf8");
  if (isAgeEncrypted(bytes)) {
    const file = place.file ?? place.origin;
    if (ctx.kdf === false) return notHere("passphrase-protected: not unlocked here (git's drivers and scans never run a KDF)");
    if (!ctx.askPassphrase) {
      const why = `${file} is passphrase-protected and there is no terminal to ask for its passphrase`;
      if (place.pointed) throw new VaultError("no_key", why, "run the command in a terminal, or on a machine without one (CI) set VAULT_KEY_<ENV> from `vault key export`");
      return notHere("passphrase-protected, and no terminal to ask for its passphrase");
    }
    text = await unlock(bytes, file, ctx.askPassphrase);
  }
  try {
    const { identities, plugins } = parseAgeIdentities(text, labelOf(place));
    const plain = place.file !== undefined && !isAgeEncrypted(bytes);
    return { identities, plugins, ...(plain ? { plainFile: place.file } : {}) };
  } catch (err) {
    if (place.pointed || !isVaultError(err)) throw err;
    return notHere(`not usable: ${err.message}`);
  }
}

const labelOf = (place: AgeKeyPlace): string => (place.file === undefined || place.file === place.origin ? place.origin : `${place.origin} (${place.file})`);

async function unlock(bytes: Uint8Array, file: string, ask: (question: string) => Promise<string>): Promise<string> {
  for (let i = 0; i < PROMPT_TRIES; i++) {
    const again = i === 0 ? "" : "Wrong passphrase. ";
    const text = await decryptWithPassphrase(bytes, await ask(`${again}Passphrase for the age identity file ${file}:`));
    if (text !== undefined) return text;
  }
  throw new VaultError("wrong_key", `wrong passphrase for the age identity file ${file} (${PROMPT_TRIES} tries)`, "type the passphrase you gave `age -p` when you protected the file");
}
