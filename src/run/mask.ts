/** A value to hide in the child's output, and what replaces it. */
export interface MaskedValue {
  name: string;
  value: string;
}

/** Shorter values would mask ordinary words and numbers everywhere. */
const MIN_MASKED_LENGTH = 8;

export interface Masker {
  /** Returns what may be shown now; a possible start of a secret is held back. */
  write(chunk: Buffer): Buffer;
  /** End of stream: whatever is still held. */
  flush(): Buffer;
}

/**
 * Replaces every occurrence of a secret value with `[masked NAME]` in a byte stream,
 * including one split across chunks: a tail that could be the start of a value is held
 * until the next chunk shows whether it is. Pure; the runner feeds it.
 */
export function createMasker(values: MaskedValue[]): Masker {
  const needles = values
    .filter((v) => Buffer.byteLength(v.value) >= MIN_MASKED_LENGTH)
    .map((v) => ({ bytes: Buffer.from(v.value, "utf8"), replacement: Buffer.from(`[masked ${v.name}]`, "utf8") }))
    .sort((a, b) => b.bytes.length - a.bytes.length);
  let pending = Buffer.alloc(0);

  const write = (chunk: Buffer): Buffer => {
    if (needles.length === 0) return chunk;
    const data = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    const out: Buffer[] = [];
    let at = 0;
    for (;;) {
      let best = -1;
      let found: (typeof needles)[number] | undefined;
      for (const n of needles) {
        const i = data.indexOf(n.bytes, at);
        // Longest first, so at equal positions the longer value wins.
        if (i >= 0 && (best < 0 || i < best)) {
          best = i;
          found = n;
        }
      }
      if (!found) break;
      // A longer value may start here and be cut off by the chunk's end: wait for it.
      const tail = data.subarray(best);
      if (needles.some((n) => n.bytes.length > tail.length && n.bytes.subarray(0, tail.length).equals(tail))) {
        out.push(data.subarray(at, best));
        pending = Buffer.from(tail);
        return Buffer.concat(out);
      }
      out.push(data.subarray(at, best), found.replacement);
      at = best + found.bytes.length;
    }
    const rest = data.subarray(at);
    const hold = heldFrom(rest);
    out.push(rest.subarray(0, hold));
    pending = Buffer.from(rest.subarray(hold));
    return Buffer.concat(out);
  };

  /** The earliest position from which `rest` could still grow into a value. */
  const heldFrom = (rest: Buffer): number => {
    const longest = needles[0]?.bytes.length ?? 0;
    for (let p = Math.max(0, rest.length - longest + 1); p < rest.length; p++) {
      const tail = rest.subarray(p);
      if (needles.some((n) => n.bytes.length > tail.length && n.bytes.subarray(0, tail.length).equals(tail))) return p;
    }
    return rest.length;
  };

  return {
    write,
    flush() {
      // No more data can come: mask what the held tail contains, then let it go.
      const rest = pending;
      pending = Buffer.alloc(0);
      let text = rest;
      for (const n of needles) {
        const parts: Buffer[] = [];
        let from = 0;
        for (let i = text.indexOf(n.bytes); i >= 0; i = text.indexOf(n.bytes, from)) {
          parts.push(text.subarray(from, i), n.replacement);
          from = i + n.bytes.length;
        }
        parts.push(text.subarray(from));
        text = Buffer.concat(parts);
      }
      return text;
    },
  };
}
