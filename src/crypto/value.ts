import { IntegrityError } from "../errors.js";
import { NONCE_BYTES, randomBytes, sodium, toB64 } from "./sodium.js";
import type { EnvKeys } from "./subkeys.js";

/** Where a value lives; sealed into its ciphertext so it cannot be moved elsewhere. */
export interface ValuePlace {
  vaultId: string;
  env: string;
  name: string;
}

/** What rides inside the ciphertext next to the value. */
export interface ValueMeta {
  /** ISO time the value last changed. */
  updated: string;
  /** ISO time it was first set; absent in values written before sealenv recorded it. */
  created?: string;
  /** Rotation policy, e.g. "90d" (`vault set --rotate-every`). */
  rotateEvery?: string;
  /** The value is a template (`${NAME}` resolved when read), not literal text. Sealed with it, so nobody can flip it. */
  template?: boolean;
}

export interface OpenedValue extends ValueMeta {
  value: string;
}

const TAG = "sealenv-value-v1";

export function sealValue(keys: EnvKeys, place: ValuePlace, value: string, meta?: ValueMeta): string {
  const lib = sodium();
  const nonce = randomBytes(NONCE_BYTES);
  const now = new Date().toISOString();
  const payload: Record<string, string> = { v: value, u: meta?.updated ?? now, c: meta?.created ?? meta?.updated ?? now };
  if (meta?.rotateEvery) payload.r = meta.rotateEvery;
  if (meta?.template) payload.t = "1";
  const plaintext = JSON.stringify([TAG, place.vaultId, place.env, place.name, payload]);
  const box = lib.crypto_secretbox_easy(Buffer.from(plaintext, "utf8"), nonce, keys.valueKey);
  return `${toB64(nonce)}.${toB64(box)}`;
}

export function openValue(keys: EnvKeys, place: ValuePlace, sealed: string): OpenedValue {
  const lib = sodium();
  // Decoded leniently, without fromB64's alphabet check (a third of the work at 10,000
  // values): parseVault has checked the text's form, the environment's MAC covers it
  // exactly, and text that decodes to other bytes fails the box's own authentication.
  const dot = sealed.indexOf(".");
  const nonce = dot < 0 ? undefined : Buffer.from(sealed.slice(0, dot), "base64url");
  const box = dot < 0 ? undefined : Buffer.from(sealed.slice(dot + 1), "base64url");
  const fail = (reason: "tampered" | "moved") =>
    new IntegrityError(
      reason,
      `cannot decrypt ${place.name} in ${place.env}: wrong key or the file was modified`,
      "restore secrets.vault from git, or set the value again with `vault set`",
    );
  if (!nonce || !box || nonce.length !== NONCE_BYTES) throw fail("tampered");
  let plain: Uint8Array;
  try {
    plain = lib.crypto_secretbox_open_easy(box, nonce, keys.valueKey);
  } catch {
    throw fail("tampered");
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength).toString("utf8"));
  } catch {
    throw fail("tampered");
  }
  if (!Array.isArray(parsed) || parsed.length !== 5 || parsed[0] !== TAG) throw fail("tampered");
  const [, vaultId, env, name, payload] = parsed as [string, unknown, unknown, unknown, { v?: unknown; u?: unknown; c?: unknown; r?: unknown; t?: unknown }];
  if (vaultId !== place.vaultId || env !== place.env || name !== place.name) throw fail("moved");
  if (typeof payload?.v !== "string" || typeof payload.u !== "string") throw fail("tampered");
  const opened: OpenedValue = { value: payload.v, updated: payload.u };
  if (typeof payload.c === "string") opened.created = payload.c;
  if (typeof payload.r === "string") opened.rotateEvery = payload.r;
  if (payload.t === "1") opened.template = true;
  return opened;
}
