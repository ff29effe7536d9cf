import { describe, expect, it } from "vitest";
import { envFileLeak, findValues, isPlaintextEnvFile } from "../../src/scan/find.js";
import { needlesFor } from "../../src/scan/needles.js";

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
