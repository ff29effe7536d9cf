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
  const spans: { at: number; end: number; after: string }[] = [];
  for (const [before, after] of replacements) {
    if (!TOKEN.test(before) || !TOKEN.test(after)) return undefined;
    const token = `"${before}"`;
    const at = bytes.indexOf(token, 0, "utf8");
    if (at < 0 || bytes.indexOf(token, at + 1, "utf8") >= 0) return undefined;
    spans.push({ at, end: at + Buffer.byteLength(token, "utf8"), after: `"${after}"` });
  }
  spans.sort((a, b) => a.at - b.at);
  const pieces: Buffer[] = [];
  let from = 0;
  for (const span of spans) {
    if (span.at < from) return undefined;
    pieces.push(bytes.subarray(from, span.at), Buffer.from(span.after, "utf8"));
    from = span.end;
  }
  pieces.push(bytes.subarray(from));
  return Buffer.concat(pieces);
}

const TOKEN = /^[A-Za-z0-9_.-]+$/;
