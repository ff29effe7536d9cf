import { VaultError } from "../errors.js";
import { MAX_JSON_DEPTH, tooDeepAt } from "./json-depth.js";
import { jsonErrorOffset, lineAt } from "./json-error.js";
import { isEnvName, isSecretName, MEMBER } from "../names.js";
import { decodeB64, isUsablePublicKey } from "./public-key.js";
import { nameRecord } from "./records.js";
import { FORMAT_VERSION, type Environment, type KeyLink, type KeySlot, type RecipientKind, type VaultDoc } from "./types.js";

const B64 = /^[A-Za-z0-9_-]+$/;
/** "<24-byte nonce>.<ciphertext of at least the 16-byte tag>", base64url without padding. */
const SEALED = /^[A-Za-z0-9_-]{32}\.[A-Za-z0-9_-]{22,}$/;
const CONFLICT = /^(<{7}|={7}|>{7}|\|{7})(\s|$)/;

/**
 * Each passphrase slot may cost an Argon2id run before anything can be verified, so a
 * file may not ask for more than two (a main one and a spare): a planted pile of costly
 * slots is refused before any hashing.
 */
const MAX_PASSPHRASE_SLOTS = 2;
/** Far above any team; a file with more is someone flooding slots to slow every read. */
const MAX_SLOTS = 1000;
/** crypto_box_seal of a 32-byte key: an ephemeral public key, the key, a 16-byte tag. */
const SEALED_KEY_BYTES = 32 + 32 + 16;
const ED25519_PUBLIC_BYTES = 32;
/**
 * An age member slot's box is an age file of the 32-byte data key: 232 bytes with one
 * X25519 stanza. Other writers may add stanzas (grease), so a little room is left; far
 * more is someone making every read parse a planted header.
 */
const AGE_BOX_MAX_BYTES = 2048;
const AGE_HEADER = "age-encryption.org/v1\n";
const RECIPIENT_KINDS: readonly unknown[] = ["sealenv", "ssh-ed25519", "age", "age-plugin"] satisfies RecipientKind[];
/** An age plugin recipient, `age1NAME1` and bech32 data (which never holds a "1"); its checksum is the age tool's to check. */
const AGE_PLUGIN_RECIPIENT = /^age1[a-z0-9._-]{1,64}1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{6,900}$/;
const ED25519_SIGNATURE_BYTES = 64;

type Json = Record<string, unknown>;

/** Parses and validates a vault file's text. Pure: `label` only names the file in errors. */
export function parseVault(text: string, label = "secrets.vault"): VaultDoc {
  const lines = text.split("\n");
  const conflict = lines.findIndex((l) => CONFLICT.test(l));
  if (conflict >= 0) {
    throw new VaultError(
      "bad_vault",
      `${label} has merge-conflict markers at line ${conflict + 1}`,
      "finish the merge: keep one side of each conflict, then run `vault ls` to check the file",
    );
  }
  let raw: unknown;
  try {
    // V8's JSON.parse does not recurse, and nothing below walks more than a vault's own few
    // levels, so nesting only matters to the recursive error-line scanner: checked there,
    // not on every start of `vault run`.
    raw = JSON.parse(text);
  } catch {
    const deep = tooDeepAt(text);
    if (deep !== undefined) {
      throw new VaultError(
        "bad_vault",
        `${label} nests JSON deeper than ${MAX_JSON_DEPTH} levels at line ${lineAt(text, deep)}: it is not a vault`,
        "restore it from git (`git checkout -- secrets.vault`), or from a backup",
      );
    }
    const line = lineAt(text, jsonErrorOffset(text));
    throw new VaultError(
      "bad_vault",
      `${label} is not valid JSON at line ${line}`,
      "restore it from git (`git checkout -- secrets.vault`) or fix that line by hand",
    );
  }
  const bad = (what: string): never => {
    throw new VaultError("bad_vault", `${label}: ${what}`, "restore the file from git, or from a backup");
  };

  if (!isObject(raw) || !("sealenv" in raw)) bad("not a sealenv vault (no \"sealenv\" version field)");
  const doc = raw as Json;
  if (typeof doc.sealenv !== "number" || !Number.isInteger(doc.sealenv) || doc.sealenv < 1) bad("invalid \"sealenv\" version field");
  if (doc.sealenv !== FORMAT_VERSION) {
    throw new VaultError(
      "unsupported_version",
      `${label} uses vault format ${String(doc.sealenv)}, this sealenv reads format ${FORMAT_VERSION}`,
      "upgrade sealenv (npm install -g sealenv@latest) to read this vault",
    );
  }
  if (typeof doc.id !== "string" || !B64.test(doc.id) || doc.id.length < 16) bad("invalid vault id");
  if (typeof doc.default !== "string" || !isEnvName(doc.default)) bad("invalid default environment");
  if (!isObject(doc.environments)) bad("missing environments");

  // JSON.parse gives "__proto__" and "constructor" keys as own properties; keep them ordinary names here too.
  const environments = nameRecord<Environment>();
  for (const [name, env] of Object.entries(doc.environments as Json)) {
    if (!isEnvName(name)) bad(`invalid environment name ${JSON.stringify(name)}`);
    environments[name] = parseEnvironment(env, (what) => bad(`environment ${name}: ${what}`));
  }
  if (!Object.hasOwn(environments, String(doc.default))) bad(`default environment ${String(doc.default)} does not exist`);

  return { version: FORMAT_VERSION, id: doc.id as string, defaultEnv: doc.default as string, environments };
}

function parseEnvironment(raw: unknown, bad: (what: string) => never): Environment {
  if (!isObject(raw)) bad("not an object");
  const env = raw as Json;
  if (typeof env.generation !== "number" || !Number.isSafeInteger(env.generation) || env.generation < 0) bad("invalid generation");
  if (typeof env.keyId !== "string" || !B64.test(env.keyId)) bad("invalid keyId");
  if (!isBytes(env.signer, ED25519_PUBLIC_BYTES)) bad("invalid signer");
  const retired = env.retiredKeyIds ?? [];
  if (!Array.isArray(retired) || !retired.every((k) => typeof k === "string" && B64.test(k))) bad("invalid retiredKeyIds");
  const links = env.keyLinks ?? [];
  if (!Array.isArray(links)) bad("invalid keyLinks");
  if (!Array.isArray(env.slots)) bad("invalid slots");
  if (!isObject(env.secrets)) bad("invalid secrets");
  if (typeof env.mac !== "string" || !B64.test(env.mac)) bad("invalid mac");

  const secrets = nameRecord<string>();
  for (const [name, sealed] of Object.entries(env.secrets as Json)) {
    if (!isSecretName(name)) bad(`invalid secret name ${JSON.stringify(name)}`);
    if (typeof sealed !== "string" || !SEALED.test(sealed)) bad(`secret ${name} is not a sealed value`);
    secrets[name] = sealed as string;
  }
  if ((env.slots as unknown[]).length > MAX_SLOTS) bad(`more than ${MAX_SLOTS} slots`);
  const slots = (env.slots as unknown[]).map((s, i) => parseSlot(s, (what) => bad(`slot ${i + 1}: ${what}`)));
  const passphraseSlots = slots.filter((s) => s.type === "passphrase").length;
  if (passphraseSlots > MAX_PASSPHRASE_SLOTS) {
    throw new VaultError(
      "kdf_bounds",
      `environment has ${passphraseSlots} passphrase slots; sealenv reads at most ${MAX_PASSPHRASE_SLOTS} (each costs seconds of Argon2id before anything can be checked)`,
      "restore secrets.vault from git: someone may have planted slots to stall every read",
    );
  }
  const keyLinks = (links as unknown[]).map((l, i) => parseLink(l, (what) => bad(`key link ${i + 1}: ${what}`)));
  return {
    generation: env.generation as number,
    keyId: env.keyId as string,
    signer: env.signer as string,
    retiredKeyIds: retired as string[],
    keyLinks,
    slots,
    secrets,
    mac: env.mac as string,
  };
}

function parseLink(raw: unknown, bad: (what: string) => never): KeyLink {
  if (!isObject(raw)) bad("not an object");
  const link = raw as Json;
  for (const field of ["from", "to"] as const) {
    if (typeof link[field] !== "string" || !B64.test(link[field] as string)) bad(`invalid ${field}`);
  }
  if (typeof link.generation !== "number" || !Number.isSafeInteger(link.generation) || link.generation < 1) bad("invalid generation");
  if (!isBytes(link.signer, ED25519_PUBLIC_BYTES)) bad("invalid signer");
  if (!isBytes(link.sig, ED25519_SIGNATURE_BYTES)) bad("invalid sig");
  return { from: link.from as string, to: link.to as string, generation: link.generation as number, signer: link.signer as string, sig: link.sig as string };
}

function parseSlot(raw: unknown, bad: (what: string) => never): KeySlot {
  if (!isObject(raw)) bad("not an object");
  const slot = raw as Json;
  if (slot.type === "recipient") {
    if (typeof slot.member !== "string" || !MEMBER.test(slot.member)) bad("invalid member name");
    if (!RECIPIENT_KINDS.includes(slot.kind)) bad(`unknown recipient kind ${JSON.stringify(slot.kind)}`);
    const pk = typeof slot.pk === "string" ? decodeB64(slot.pk) : undefined;
    if (slot.kind === "age-plugin") {
      if (!pk || !AGE_PLUGIN_RECIPIENT.test(Buffer.from(pk).toString("latin1"))) bad(`member ${String(slot.member)} has an invalid age plugin recipient`);
    } else if (!pk || !isUsablePublicKey(pk)) {
      bad(`member ${String(slot.member)} has an invalid public key (wrong length, or a point no key can be sealed to)`);
    }
    const ageBox = slot.kind === "age" || slot.kind === "age-plugin";
    if (!(ageBox ? isAgeFile(slot.box) : isBytes(slot.box, SEALED_KEY_BYTES))) bad(`member ${String(slot.member)} has an invalid box`);
    return { type: "recipient", member: slot.member as string, kind: slot.kind as RecipientKind, pk: slot.pk as string, box: slot.box as string };
  }
  if (slot.type !== "passphrase") bad(`unknown slot type ${JSON.stringify(slot.type)}`);
  if (slot.kdf !== "argon2id13") {
    throw new VaultError("kdf_bounds", `passphrase slot uses an unknown key derivation ${JSON.stringify(slot.kdf)}`, "sealenv reads argon2id13 only; restore the file from git");
  }
  for (const field of ["ops", "mem"] as const) {
    const v = slot[field];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0) bad(`invalid ${field}`);
  }
  for (const field of ["salt", "nonce", "box"] as const) {
    if (typeof slot[field] !== "string" || !B64.test(slot[field] as string)) bad(`invalid ${field}`);
  }
  return {
    type: "passphrase",
    kdf: "argon2id13",
    ops: slot.ops as number,
    mem: slot.mem as number,
    salt: slot.salt as string,
    nonce: slot.nonce as string,
    box: slot.box as string,
  };
}

function isBytes(v: unknown, length: number): v is string {
  return typeof v === "string" && decodeB64(v)?.length === length;
}

/** base64url of a bounded binary age file: the header line is checked here, the rest by whoever opens it. */
function isAgeFile(v: unknown): v is string {
  if (typeof v !== "string" || !B64.test(v)) return false;
  const bytes = decodeB64(v);
  return !!bytes && bytes.length <= AGE_BOX_MAX_BYTES && Buffer.from(bytes.subarray(0, AGE_HEADER.length)).toString("latin1") === AGE_HEADER;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
