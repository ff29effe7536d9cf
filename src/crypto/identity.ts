import { VaultError } from "../errors.js";
import { isUsablePublicKey, type RecipientKind } from "../format/index.js";
import { parseAgeRecipient, sealToAge } from "./age.js";
import { fromB64, sodium, toB64 } from "./sodium.js";

/**
 * Identities: X25519 key pairs. The public half travels as a one-line recipient string
 * (`sealenv-recipient-1:<key>:<checksum>`), or as an `ssh-ed25519` public key converted to
 * X25519, or as an age X25519 recipient (`age1...`, see age.ts). The data key is sealed to
 * the first two with crypto_box_seal, to an age recipient as an age file.
 */
export interface Identity {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

export interface Recipient {
  kind: RecipientKind;
  publicKey: Uint8Array;
}

const RECIPIENT = "sealenv-recipient-1";
const IDENTITY = "sealenv-identity-1";

const check = (body: string) => toB64(sodium().crypto_generichash(16, Buffer.from(body, "utf8"), null).subarray(0, 4));

export function newIdentity(): Identity {
  const kp = sodium().crypto_box_keypair();
  return { publicKey: kp.publicKey, secretKey: kp.privateKey };
}

export function formatRecipient(publicKey: Uint8Array): string {
  const body = `${RECIPIENT}:${toB64(publicKey)}`;
  return `${body}:${check(body)}`;
}

/** The private half, for VAULT_IDENTITY, the keychain or the identity file. */
export function formatIdentity(identity: Identity): string {
  const body = `${IDENTITY}:${toB64(identity.secretKey)}`;
  return `${body}:${check(body)}`;
}

export function parseIdentity(text: string, origin: string): Identity {
  const parts = text.trim().split(":");
  const secretKey = parts.length === 3 && parts[0] === IDENTITY && check(parts.slice(0, 2).join(":")) === parts[2] ? fromB64(parts[1] ?? "") : undefined;
  if (!secretKey || secretKey.length !== 32) {
    throw new VaultError("bad_key_string", `${origin} is not a sealenv identity`, "it should be the line `vault identity new` stored, starting with sealenv-identity-1:");
  }
  return { secretKey, publicKey: sodium().crypto_scalarmult_base(secretKey) };
}

/** A member's public key: a sealenv recipient string, an `ssh-ed25519 AAAA... comment` line or an age `age1...` recipient. */
export function parseRecipient(text: string): Recipient {
  const trimmed = text.trim();
  if (/^age1/i.test(trimmed)) return parseAgeRecipient(trimmed);
  if (trimmed.startsWith("ssh-ed25519 ")) {
    const blob = Buffer.from(trimmed.split(/\s+/)[1] ?? "", "base64");
    const ed = sshEd25519PublicFromBlob(blob);
    const invalid = new VaultError("bad_key_string", "not a valid ssh-ed25519 public key", "paste the whole line from ~/.ssh/id_ed25519.pub");
    if (!ed) throw invalid;
    let publicKey: Uint8Array;
    try {
      publicKey = sodium().crypto_sign_ed25519_pk_to_curve25519(ed);
    } catch {
      throw invalid;
    }
    if (!isUsablePublicKey(publicKey)) throw invalid;
    return { kind: "ssh-ed25519", publicKey };
  }
  const parts = trimmed.split(":");
  const publicKey = parts.length === 3 && parts[0] === RECIPIENT && check(parts.slice(0, 2).join(":")) === parts[2] ? fromB64(parts[1] ?? "") : undefined;
  if (!publicKey || !isUsablePublicKey(publicKey)) {
    throw new VaultError(
      "bad_key_string",
      "not a sealenv recipient, ssh-ed25519 public key or age recipient",
      "ask the member for the line `vault identity show` prints (sealenv-recipient-1:...), their ssh-ed25519 public key, or their age recipient (age1...)",
    );
  }
  return { kind: "sealenv", publicKey };
}

/** The 32-byte ed25519 key inside an SSH public key blob: string "ssh-ed25519", string key. */
function sshEd25519PublicFromBlob(blob: Buffer): Uint8Array | undefined {
  const type = readSshString(blob, 0);
  if (!type || type.value.toString() !== "ssh-ed25519") return undefined;
  const key = readSshString(blob, type.next);
  return key && key.value.length === 32 ? new Uint8Array(key.value) : undefined;
}

export function readSshString(buf: Buffer, at: number): { value: Buffer; next: number } | undefined {
  if (at + 4 > buf.length) return undefined;
  const len = buf.readUInt32BE(at);
  if (at + 4 + len > buf.length) return undefined;
  return { value: buf.subarray(at + 4, at + 4 + len), next: at + 4 + len };
}

export function sealToRecipient(dataKey: Uint8Array, publicKey: Uint8Array): string {
  return toB64(sodium().crypto_box_seal(dataKey, publicKey));
}

/** A member slot's box for this recipient, sealed the way its kind is. */
export async function sealToMember(recipient: Recipient, dataKey: Uint8Array): Promise<string> {
  // Only the age tool, with the plugin, can seal to a plugin: src/keys/age-cli.ts does it.
  if (recipient.kind === "age-plugin") throw new Error("an age plugin slot is sealed by the age tool, not here");
  return recipient.kind === "age" ? sealToAge(dataKey, recipient.publicKey) : sealToRecipient(dataKey, recipient.publicKey);
}

/** The data key, or undefined if this identity does not open the box. */
export function openSealed(box: string, identity: Identity): Uint8Array | undefined {
  const bytes = fromB64(box);
  if (!bytes) return undefined;
  try {
    return sodium().crypto_box_seal_open(bytes, identity.publicKey, identity.secretKey);
  } catch {
    return undefined;
  }
}
