import { describe, expect, it } from "vitest";
import { createMasker } from "../../src/run/mask.js";

const values = [
  { name: "TOKEN", value: "tok-123456789" },
  { name: "TOKEN_LONG", value: "tok-123456789-extended" },
  { name: "UNICODE", value: "pässwörd-🔑-key" },
  { name: "SHORT", value: "abc" },
];

function run(chunks: Buffer[]): string {
  const m = createMasker(values);
  return Buffer.concat([...chunks.map((c) => m.write(c)), m.flush()]).toString("utf8");
}

describe("masking output", () => {
  const text = "a tok-123456789 b tok-123456789-extended c pässwörd-🔑-key d abc e tok-12345 end";
  const expected = "a [masked TOKEN] b [masked TOKEN_LONG] c [masked UNICODE] d abc e tok-12345 end";

  it("replaces every value of 8 bytes or more, preferring the longer value", () => {
    expect(run([Buffer.from(text)])).toBe(expected);
  });

  it("masks values split across writes at every possible byte boundary", () => {
    const bytes = Buffer.from(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(run([bytes.subarray(0, cut), bytes.subarray(cut)])).toBe(expected);
    }
  });

  it("masks a value written one byte at a time", () => {
    const bytes = Buffer.from(text);
    expect(run([...bytes].map((b) => Buffer.from([b])))).toBe(expected);
  });

  it("holds back only what could still become a value", () => {
    const m = createMasker(values);
    expect(m.write(Buffer.from("hello tok-12")).toString()).toBe("hello ");
    expect(m.write(Buffer.from("x")).toString()).toBe("tok-12x");
  });

  it("masks a value held back at the very end of the output, when a longer value starts with it", () => {
    // TOKEN is a prefix of TOKEN_LONG: the tail is held in case "-extended" follows, and nothing follows.
    const m = createMasker(values);
    const written = m.write(Buffer.from("last line: tok-123456789"));
    expect(written.toString()).toBe("last line: ");
    expect(m.flush().toString()).toBe("[masked TOKEN]");
    for (const cut of [1, 5, 12]) {
      const bytes = Buffer.from("x tok-123456789");
      expect(run([bytes.subarray(0, bytes.length - cut), bytes.subarray(bytes.length - cut)])).toBe("x [masked TOKEN]");
    }
  });
});
