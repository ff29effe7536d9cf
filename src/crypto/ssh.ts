import { VaultError } from "../errors.js";
import type { Identity } from "./identity.js";
import { readSshString } from "./identity.js";
import { sodium } from "./sodium.js";

const MAGIC = "openssh-key-v1\0";

/**
 * The X25519 identity inside an unencrypted OpenSSH ed25519 private key (the PEM-like
 * `-----BEGIN OPENSSH PRIVATE KEY-----` file), converted the way libsodium documents.
 */
export function identityFromOpenSsh(text: string, origin: string): Identity {
  const bad = (why: string) => new VaultError("bad_key_string", `${origin}: ${why}`, "use an unencrypted ed25519 key (ssh-keygen -t ed25519 -N '')");
  const body = text.replace(/-----(BEGIN|END) OPENSSH PRIVATE KEY-----/g, "").replace(/\s+/g, "");
  const buf = Buffer.from(body, "base64");
  if (buf.subarray(0, MAGIC.length).toString("latin1") !== MAGIC) throw bad("not an OpenSSH private key");
  let at = MAGIC.length;
  const cipher = readSshString(buf, at);
  if (!cipher) throw bad("truncated key");
  if (cipher.value.toString() !== "none") throw bad("the key is protected by a passphrase, which sealenv cannot open");
  const kdf = readSshString(buf, cipher.next);
  const kdfOptions = kdf && readSshString(buf, kdf.next);
  if (!kdfOptions || kdfOptions.next + 4 > buf.length) throw bad("truncated key");
  at = kdfOptions.next;
  if (buf.readUInt32BE(at) !== 1) throw bad("expected exactly one key");
  const publicBlob = readSshString(buf, at + 4);
  const privateBlock = publicBlob && readSshString(buf, publicBlob.next);
  if (!privateBlock) throw bad("truncated key");
  const p = privateBlock.value;
  if (p.length < 8 || p.readUInt32BE(0) !== p.readUInt32BE(4)) throw bad("corrupt private section");
  const type = readSshString(p, 8);
  if (!type || type.value.toString() !== "ssh-ed25519") throw bad("not an ed25519 key");
  const pub = readSshString(p, type.next);
  const priv = pub && readSshString(p, pub.next);
  if (!priv || priv.value.length !== 64) throw bad("corrupt ed25519 key");
  const lib = sodium();
  const secretKey = lib.crypto_sign_ed25519_sk_to_curve25519(new Uint8Array(priv.value));
  return { secretKey, publicKey: lib.crypto_scalarmult_base(secretKey) };
}
