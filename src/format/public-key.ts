/**
 * Whether 32 bytes can be a member's X25519 public key. The points of small order (the
 * same list libsodium's X25519 refuses, compared with the top bit cleared as it does)
 * would make crypto_box_seal fail, or seal a key anyone could open: a slot holding one is
 * a damaged or hostile file, refused when it is read, not a crash during `member rm`.
 * Pure byte comparison, so the file format can check it without a crypto library.
 */
const LOW_ORDER: readonly number[][] = [
  [0, ...Array<number>(31).fill(0)],
  [1, ...Array<number>(31).fill(0)],
  [
    0xe0, 0xeb, 0x7a, 0x7c, 0x3b, 0x41, 0xb8, 0xae, 0x16, 0x56, 0xe3, 0xfa, 0xf1, 0x9f, 0xc4, 0x6a,
    0xda, 0x09, 0x8d, 0xeb, 0x9c, 0x32, 0xb1, 0xfd, 0x86, 0x62, 0x05, 0x16, 0x5f, 0x49, 0xb8, 0x00,
  ],
  [
    0x5f, 0x9c, 0x95, 0xbc, 0xa3, 0x50, 0x8c, 0x24, 0xb1, 0xd0, 0xb1, 0x55, 0x9c, 0x83, 0xef, 0x5b,
    0x04, 0x44, 0x5c, 0xc4, 0x58, 0x1c, 0x8e, 0x86, 0xd8, 0x22, 0x4e, 0xdd, 0xd0, 0x9f, 0x11, 0x57,
  ],
  [0xec, ...Array<number>(30).fill(0xff), 0x7f],
  [0xed, ...Array<number>(30).fill(0xff), 0x7f],
  [0xee, ...Array<number>(30).fill(0xff), 0x7f],
];

const PUBLIC_KEY_BYTES = 32;

export function isUsablePublicKey(bytes: Uint8Array): boolean {
  if (bytes.length !== PUBLIC_KEY_BYTES) return false;
  return !LOW_ORDER.some((point) => point.every((b, i) => (i === 31 ? (bytes[i] as number) & 0x7f : bytes[i]) === b));
}

/** Unpadded base64url to bytes, or undefined: the format's own decoder, no crypto library. */
export function decodeB64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  return new Uint8Array(Buffer.from(text, "base64url"));
}
