import { describe, expect, it } from "vitest";
import { envFileLeak, findValues, isPlaintextEnvFile } from "../../src/scan/find.js";
import { dotenvEscaped, jsonEscaped, needlesFor } from "../../src/scan/needles.js";

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

  it("skips values under 8 characters and binary files", () => {
    expect(findValues("a", Buffer.from("port 8080"), needles)).toEqual([]);
    expect(findValues("a", Buffer.from("s3cr3t value/+=\0"), needles)).toEqual([]);
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
