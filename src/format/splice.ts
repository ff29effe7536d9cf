/**
 * A vault file's bytes with some of its strings replaced, without serializing the whole
 * document again (at 10,000 secrets that was most of a `vault set`). Only where the edit
 * is provably the same change to the document the bytes parse to: the file holds no
 * backslash, so every JSON string is written as itself and no escape can hide a second
 * copy; each string replaced is base64url (and "."), which in valid JSON can only follow
 * an opening quote, so a match is a whole string token; and it is the only one. The
 * caller replaces strings unique by construction (sealed values, with their random
 * nonces; MACs). Anything else gives undefined: the caller writes the document in full.
 */
export function replaceStrings(bytes: Buffer, replacements: readonly (readonly [before: string, after: string])[]): Buffer | undefined {
  if (bytes.includes(0x5c)) return undefined;
  if (!replacements.every(([before, after]) => TOKEN.test(before) && TOKEN.test(after))) return undefined;
  return replaceEachOnce(
    bytes,
    replacements.map(([before, after]) => [Buffer.from(`"${before}"`, "latin1"), Buffer.from(`"${after}"`, "latin1")]),
  );
}

const TOKEN = /^[A-Za-z0-9_.-]+$/;

/** `bytes` with each `before` put its `after` in place, when each is found exactly once and none overlap; else undefined. */
export function replaceEachOnce(bytes: Buffer, replacements: readonly (readonly [before: Uint8Array, after: Uint8Array])[]): Buffer | undefined {
  const spans: { at: number; end: number; after: Uint8Array }[] = [];
  for (const [before, after] of replacements) {
    const at = bytes.indexOf(before);
    if (at < 0 || bytes.indexOf(before, at + 1) >= 0) return undefined;
    spans.push({ at, end: at + before.length, after });
  }
  spans.sort((a, b) => a.at - b.at);
  const pieces: Uint8Array[] = [];
  let from = 0;
  for (const span of spans) {
    if (span.at < from) return undefined;
    pieces.push(bytes.subarray(from, span.at), span.after);
    from = span.end;
  }
  pieces.push(bytes.subarray(from));
  return Buffer.concat(pieces);
}
