import { VaultError } from "../errors.js";
import { isEnvName } from "../format/index.js";
import { DATA_KEY_BYTES, fromB64, sodium, toB64 } from "./sodium.js";
import { keyIdOf, sameId } from "./subkeys.js";

/**
 * The printable form of a data key: sealenv-key-1:<env>:<key id>:<key>:<checksum>.
 * Naming the environment and key id lets a wrong, stale or misplaced key get a precise
 * error; the checksum catches a key cut short or mistyped when pasted into CI.
 */
const PREFIX = "sealenv-key-1";

export interface KeyString {
  env: string;
  keyId: string;
  dataKey: Uint8Array;
}

function checksum(body: string): string {
  return toB64(sodium().crypto_generichash(16, Buffer.from(body, "utf8"), null).subarray(0, 6));
}

export function formatKeyString(env: string, dataKey: Uint8Array): string {
  const body = `${PREFIX}:${env}:${keyIdOf(dataKey)}:${toB64(dataKey)}`;
  return `${body}:${checksum(body)}`;
}

/** `origin` names where the text came from (VAULT_KEY, the keychain...) for the error. */
export function parseKeyString(text: string, origin: string): KeyString {
  const bad = (why: string) =>
    new VaultError("bad_key_string", `${origin} is not a valid sealenv key: ${why}`, "copy the whole key again from `vault key export`");
  const parts = text.trim().split(":");
  if (parts.length !== 5 || parts[0] !== PREFIX) throw bad("expected sealenv-key-1:<env>:<id>:<key>:<checksum>");
  const [, env = "", keyId = "", keyText = "", check = ""] = parts;
  if (!isEnvName(env)) throw bad("the environment name is invalid");
  if (!sameId(checksum(parts.slice(0, 4).join(":")), check)) throw bad("checksum mismatch (cut short or mistyped?)");
  const dataKey = fromB64(keyText);
  if (!dataKey || dataKey.length !== DATA_KEY_BYTES || !sameId(keyIdOf(dataKey), keyId)) throw bad("the key does not match its id");
  return { env, keyId, dataKey };
}
