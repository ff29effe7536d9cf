import { describe, expect, it } from "vitest";
import { envFileLeak, findValues, isPlaintextEnvFile } from "../../src/scan/find.js";
import { dotenvEscaped, jsonEscaped, needlesFor } from "../../src/scan/needles.js";
import { decodeUtf16, utf16Of } from "../../src/scan/utf16.js";

const needles = needlesFor([
  { env: "production", name: "TOKEN", value: "s3cr3t value/+=" },
  { env: "production", name: "PORT", value: "8080" },
]);

describe("leak scan", () => {
  it("finds the value, its base64 and URL-encoded forms, by line, without quoting it", () => {
    const text = [
      "nothing here",
      "token: s3cr3t value/+=",
      `b64: ${Buffer.from("s3cr3t value/+=").toString("base64")}`,
      `url: ?t=${encodeURIComponent("s3cr3t value/+=")}`,
      `b64url: ${Buffer.from("s3cr3t value/+=").toString("base64url")}`,
    ].join("\n");
    const leaks = findValues("f.txt", Buffer.from(text), needles);
    expect(leaks).toEqual([
      { file: "f.txt", line: 2, what: "TOKEN (production)" },
      { file: "f.txt", line: 3, what: "TOKEN (production, base64)" },
      { file: "f.txt", line: 5, what: "TOKEN (production, base64)" },
      { file: "f.txt", line: 4, what: "TOKEN (production, url-encoded)" },
    ]);
    expect(JSON.stringify(leaks)).not.toContain("s3cr3t");
  });

  it("skips values under 8 characters", () => {
    expect(findValues("a", Buffer.from("port 8080"), needles)).toEqual([]);
  });

  it("reports each line a value sits on, however many there are", () => {
    const text = Array.from({ length: 1000 }, (_, i) => (i % 2 ? `${i} s3cr3t value/+=` : "x")).join("\n");
    expect(findValues("log", Buffer.from(text), needles).map((l) => l.line)).toEqual(Array.from({ length: 500 }, (_, i) => 2 * i + 2));
  });

  it("finds a value in a file with NUL bytes, without a line number", () => {
    const bin = Buffer.concat([Buffer.from([0x89, 0x50, 0, 0, 10, 10]), Buffer.from("s3cr3t value/+="), Buffer.from([0, 1, 2])]);
    expect(findValues("blob.bin", bin, needles)).toEqual([{ file: "blob.bin", what: "TOKEN (production)" }]);
  });

  it.each([
    ["UTF-16LE with a BOM", Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("a\r\nb\ntoken: s3cr3t value/+=\n", "utf16le")])],
    ["UTF-16BE with a BOM", Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from("a\r\nb\ntoken: s3cr3t value/+=\n", "utf16le").swap16()])],
    ["UTF-16LE without a BOM", Buffer.from("a\r\nb\ntoken: s3cr3t value/+=\n", "utf16le")],
    ["UTF-16BE without a BOM", Buffer.from("a\r\nb\ntoken: s3cr3t value/+=\n", "utf16le").swap16()],
  ])("finds a value in %s, by line", (_, content) => {
    expect(findValues("w.txt", content, needles)).toEqual([{ file: "w.txt", line: 3, what: "TOKEN (production, UTF-16)" }]);
  });

  it("finds the other forms in UTF-16 text too", () => {
    const content = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`k=${Buffer.from("s3cr3t value/+=").toString("base64")}`, "utf16le")]);
    expect(findValues("w.txt", content, needles)).toEqual([{ file: "w.txt", line: 1, what: "TOKEN (production, base64, UTF-16)" }]);
  });

  it("finds a UTF-16 string inside other binary bytes, as .NET assemblies store literals", () => {
    const noise = Buffer.from(Array.from({ length: 4000 }, (_, i) => (i % 3 ? 0 : i % 251)));
    const dll = Buffer.concat([noise, Buffer.from([7]), Buffer.from("s3cr3t value/+=", "utf16le"), noise]);
    expect(findValues("app.dll", dll, needles)).toEqual([{ file: "app.dll", what: "TOKEN (production, UTF-16)" }]);
  });

  it.each([
    ["a BOM FF FE", Buffer.from([0xff, 0xfe, 0x61, 0]), { order: "le", start: 2 }],
    ["a BOM FE FF", Buffer.from([0xfe, 0xff, 0, 0x61]), { order: "be", start: 2 }],
    ["ASCII text in UTF-16LE", Buffer.from("plain text here", "utf16le"), { order: "le", start: 0 }],
    ["ASCII text in UTF-16BE", Buffer.from("plain text here", "utf16le").swap16(), { order: "be", start: 0 }],
    ["UTF-8 text", Buffer.from("plain text here"), undefined],
    ["NULs in every byte position", Buffer.from(new Uint32Array([1, 2, 3, 70000, 5, 6]).buffer), undefined],
    ["too short to tell", Buffer.from([0x61, 0]), undefined],
  ])("tells UTF-16 from %s", (_, content, expected) => {
    expect(utf16Of(content)).toEqual(expected);
  });

  it("decodes UTF-16 in either byte order, without the BOM or a last odd byte", () => {
    expect(decodeUtf16(Buffer.from([0xff, 0xfe, 0x61, 0, 0xe9, 0, 0x62]), { order: "le", start: 2 })).toBe("a\u00e9");
    expect(decodeUtf16(Buffer.from([0, 0x61, 0x20, 0xac]), { order: "be", start: 0 })).toBe("a\u20ac");
  });

  it.each([
    ["line one\nline two", "line one\\nline two"],
    ['say "hi" now', 'say \\"hi\\" now'],
    ["C:\\path\tx", "C:\\\\path\\tx"],
    ["bell\u0007ring", "bell\\u0007ring"],
  ])("JSON-escapes %j as %s", (value, escaped) => {
    expect(jsonEscaped(value)).toBe(escaped);
  });

  it.each([
    ["line one\nline two\r\n", "line one\\nline two\\r\\n"],
    ['say "hi" now', 'say "hi" now'],
  ])("dotenv-escapes %j as %s", (value, escaped) => {
    expect(dotenvEscaped(value)).toBe(escaped);
  });

  it("searches an escaped text only when it differs from the texts before it", () => {
    const escaped = (value: string) => needlesFor([{ env: "e", name: "N", value }]).filter((n) => n.form === "escaped").map((n) => n.text);
    expect(escaped("plain-value")).toEqual([]);
    expect(escaped("line one\nline two")).toEqual(["line one\\nline two"]);
    expect(escaped('say "hi"\nnow')).toEqual(['say \\"hi\\"\\nnow', 'say "hi"\\nnow']);
  });

  it("finds a multi-line value and a quoted value in a JSON export, by line", () => {
    const secrets = { CERT: "-----BEGIN-----\nabc\n-----END-----", MOTTO: 'say "hello" world' };
    const json = `${JSON.stringify(secrets, null, 2)}\n`;
    const found = findValues("secrets.json", Buffer.from(json), needlesFor(Object.entries(secrets).map(([name, value]) => ({ env: "e", name, value }))));
    expect(found).toEqual([
      { file: "secrets.json", line: 2, what: "CERT (e, escaped)" },
      { file: "secrets.json", line: 3, what: "MOTTO (e, escaped)" },
    ]);
  });

  it("finds a multi-line value in a dotenv file written with double quotes", () => {
    const found = findValues(".env", Buffer.from('A=1\nCERT="x\\r\\ny\\nsecret\\n"\n'), needlesFor([{ env: "e", name: "CERT", value: "x\r\ny\nsecret\n" }]));
    expect(found).toEqual([{ file: ".env", line: 2, what: "CERT (e, escaped)" }]);
  });

  it.each([
    [".env", true],
    ["app/.env.local", true],
    [".env.production", true],
    [".env.example", false],
    [".env.sample", false],
    ["env.txt", false],
    [".envrc", false],
  ])("treats %s as a plaintext env file: %s", (file, expected) => {
    expect(isPlaintextEnvFile(file)).toBe(expected);
  });

  it("flags an env file only when it sets a value", () => {
    expect(envFileLeak(".env", Buffer.from("A=\nB=\n# c\n"))).toBeUndefined();
    expect(envFileLeak(".env", Buffer.from("A=1\nB=\n"))?.what).toBe("a plaintext env file with 1 value(s) (A)");
  });
});
