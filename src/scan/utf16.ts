/** How a file holds UTF-16 text: the byte order, and where the text starts (after a BOM). */
export interface Utf16 {
  order: "le" | "be";
  start: number;
}

/** Enough of a file to tell UTF-16 text from other bytes with NULs in them. */
const SAMPLE_BYTES = 64 * 1024;

/**
 * Tells whether a file is UTF-16 text: by its byte-order mark, or, without one, because
 * text in the ASCII range puts a NUL in nearly every other byte (odd positions in little
 * endian, even in big endian) and almost none in the rest. Binary files with NULs
 * everywhere (images, archives, number arrays) do not fit that pattern. Pure.
 */
export function utf16Of(content: Buffer): Utf16 | undefined {
  if (content[0] === 0xff && content[1] === 0xfe) return { order: "le", start: 2 };
  if (content[0] === 0xfe && content[1] === 0xff) return { order: "be", start: 2 };
  const sample = content.subarray(0, SAMPLE_BYTES);
  const units = Math.floor(sample.length / 2);
  if (units < 4 || !sample.includes(0)) return undefined; // most files: text without a NUL
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < units * 2; i += 2) {
    if (sample[i] === 0) evenNuls++;
    if (sample[i + 1] === 0) oddNuls++;
  }
  const many = units * 0.4;
  const few = units * 0.05;
  if (oddNuls >= many && evenNuls <= few) return { order: "le", start: 0 };
  if (evenNuls >= many && oddNuls <= few) return { order: "be", start: 0 };
  return undefined;
}

/** `text` encoded as UTF-16 in the given byte order, to search a file's bytes for it. */
export function utf16Bytes(text: string, order: Utf16["order"]): Buffer {
  const bytes = Buffer.from(text, "utf16le");
  return order === "le" ? bytes : bytes.swap16();
}

/** The text a UTF-16 file holds, without its BOM (a last odd byte is not a character). */
export function decodeUtf16(content: Buffer, u: Utf16): string {
  const units = content.subarray(u.start, u.start + ((content.length - u.start) & ~1));
  return u.order === "le" ? units.toString("utf16le") : Buffer.from(units).swap16().toString("utf16le");
}
