import { VaultError } from "../errors.js";
import { isUsablePublicKey } from "../format/index.js";
import { bech32Decode, bech32Encode } from "./bech32.js";
import type { Recipient } from "./identity.js";
import { DATA_KEY_BYTES, fromB64, sodium, toB64 } from "./sodium.js";

/**
 * age (age-encryption.org/v1) member slots, written and read with `age-encryption`, the
 * format's TypeScript implementation by its author: a slot's box is a whole binary age
 * file holding the 32-byte data key, so `age -d -i keys.txt` opens it too. Recipients are
 * X25519 (`age1...`); the slot's `pk` holds the decoded X25519 key, as for every kind.
 * The library is imported only when an age file is written or read: it is most of the
 * code `vault run` would otherwise compile on every start.
 */
const ageLibrary = () => import("age-encryption");
const RECIPIENT_HRP = "age";
const IDENTITY_HRP = "age-secret-key-";
const BINARY_HEADER = "age-encryption.org/v1\n";
const ARMOR_HEADER = "-----BEGIN AGE ENCRYPTED FILE-----";

/** An age X25519 identity: the `AGE-SECRET-KEY-1...` line and its public key. */
export interface AgeIdentity {
  secret: string;
  publicKey: Uint8Array;
}

/** `age1...` (X25519): anything else that looks like age is named, so the error can say what is missing. */
export function parseAgeRecipient(text: string): Recipient {
  const trimmed = text.trim();
  const decoded = bech32Decode(trimmed);
  if (decoded?.hrp === RECIPIENT_HRP && decoded.bytes.length === 32 && isUsablePublicKey(decoded.bytes)) {
    return { kind: "age", publicKey: decoded.bytes };
  }
  const plugin = pluginNameOf(trimmed);
  if (plugin) {
    if (decoded?.hrp !== `age1${plugin}` || trimmed.length > MAX_PLUGIN_RECIPIENT) {
      throw new VaultError("bad_key_string", `not a valid age recipient for age-plugin-${plugin} (cut short or mistyped?)`, "paste the whole recipient the plugin printed");
    }
    return { kind: "age-plugin", publicKey: new Uint8Array(Buffer.from(trimmed.toLowerCase(), "latin1")) };
  }
  throw new VaultError("bad_key_string", "not a valid age recipient", "paste the whole `age1...` line that `age-keygen` printed as the public key");
}

/** Far above any plugin's recipient (age-plugin-yubikey's is 71 characters); what the file format allows. */
const MAX_PLUGIN_RECIPIENT = 960;

/**
 * The plugin an `age1NAME1...` recipient belongs to (age-plugin-NAME), or undefined for an
 * X25519 one. The data part of bech32 never holds a "1", so a second one ends the name.
 */
export function pluginNameOf(recipient: string): string | undefined {
  return /^age1([a-z0-9._-]+)1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]+$/.exec(recipient.toLowerCase())?.[1];
}

/** An age-plugin slot's recipient string, from its `pk` (the string's bytes, base64url). */
export function pluginRecipientOf(pk: string): string | undefined {
  const bytes = fromB64(pk);
  const recipient = bytes && Buffer.from(bytes).toString("latin1");
  return recipient && pluginNameOf(recipient) ? recipient : undefined;
}

export const formatAgeRecipient = (publicKey: Uint8Array): string => bech32Encode(RECIPIENT_HRP, publicKey);

/** The data key as an age file to one X25519 recipient, base64url: the box of an age member slot. */
export async function sealToAge(dataKey: Uint8Array, publicKey: Uint8Array): Promise<string> {
  const { Encrypter } = await ageLibrary();
  const encrypter = new Encrypter();
  encrypter.addRecipient(formatAgeRecipient(publicKey));
  return toB64(await encrypter.encrypt(dataKey));
}

/** The data key, or undefined if this identity does not open the box (or it is no age file of a data key). */
export async function openAgeBox(box: string, identity: AgeIdentity): Promise<Uint8Array | undefined> {
  const bytes = fromB64(box);
  if (!bytes) return undefined;
  const { Decrypter } = await ageLibrary();
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity.secret);
  try {
    const key = await decrypter.decrypt(bytes);
    return key.length === DATA_KEY_BYTES ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The X25519 identities in an age identity file (`age-keygen`'s keys.txt, SOPS_AGE_KEY):
 * one `AGE-SECRET-KEY-1...` a line, `#` comments and blank lines between. Plugin
 * identities (`AGE-PLUGIN-NAME-1...`) are named (the age tool uses them with the file);
 * post-quantum ones are counted and passed over. A line
 * that is none of these makes it not an identity file: bad_key_string naming `origin`.
 */
export function parseAgeIdentities(text: string, origin: string): { identities: AgeIdentity[]; plugins: string[]; skipped: number } {
  const identities: AgeIdentity[] = [];
  const plugins: string[] = [];
  let skipped = 0;
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  lines.forEach((line, i) => {
    if (line === "" || line.startsWith("#")) return;
    const plugin = /^AGE-PLUGIN-([A-Z0-9._-]+)-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]+$/.exec(line)?.[1];
    if (plugin) {
      if (!plugins.includes(plugin.toLowerCase())) plugins.push(plugin.toLowerCase());
      return;
    }
    if (line.startsWith("AGE-SECRET-KEY-PQ-")) {
      skipped++;
      return;
    }
    const decoded = bech32Decode(line);
    if (!line.startsWith("AGE-SECRET-KEY-1") || decoded?.hrp !== IDENTITY_HRP || decoded.bytes.length !== 32) {
      throw new VaultError("bad_key_string", `${origin} is not an age identity file (line ${i + 1})`, "it should hold `AGE-SECRET-KEY-1...` lines, as `age-keygen` writes them");
    }
    identities.push({ secret: line, publicKey: sodium().crypto_scalarmult_base(decoded.bytes) });
    sodium().memzero(decoded.bytes);
  });
  if (identities.length === 0 && plugins.length === 0 && skipped === 0) {
    throw new VaultError("bad_key_string", `${origin} holds no age identity`, "it should hold `AGE-SECRET-KEY-1...` lines, as `age-keygen` writes them");
  }
  return { identities, plugins, skipped };
}

/** An age-encrypted file (binary or armored): an identity file protected with `age -p`. */
export function isAgeEncrypted(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.subarray(0, 64)).toString("latin1");
  return head.startsWith(BINARY_HEADER) || head.trimStart().startsWith(ARMOR_HEADER);
}

/** The text of a passphrase-protected identity file, or undefined when the passphrase does not open it. */
export async function decryptWithPassphrase(bytes: Uint8Array, passphrase: string): Promise<string | undefined> {
  const { armor, Decrypter } = await ageLibrary();
  let file = bytes;
  if (!Buffer.from(bytes.subarray(0, BINARY_HEADER.length)).toString("latin1").startsWith(BINARY_HEADER)) {
    try {
      file = armor.decode(Buffer.from(bytes).toString("utf8"));
    } catch {
      return undefined;
    }
  }
  const decrypter = new Decrypter();
  decrypter.addPassphrase(passphrase);
  try {
    return await decrypter.decrypt(file, "text");
  } catch (err) {
    // Not a wrong passphrase: no passphrase would open it here, so asking again is no use.
    if (err instanceof Error && /work factor is too high/.test(err.message)) {
      throw new VaultError("kdf_bounds", "the age identity file's scrypt work factor is above what sealenv will compute (2^20)", "re-protect it with `age -p` at the default cost");
    }
    return undefined;
  }
}
