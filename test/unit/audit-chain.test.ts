import { createHash } from "node:crypto";
import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sodium from "libsodium-wrappers-sumo";
import { beforeAll, describe, expect, it } from "vitest";
import { legacyAuditHash, newAuditKey } from "../../src/crypto/audit-hash.js";
import { nameSet } from "../../src/crypto/name-digest.js";
import { loadSodium } from "../../src/crypto/sodium.js";
import { appendLine, lastLine, lineEndingAt } from "../../src/store/append-log.js";
import { chainsOn, GENESIS, keyedLine, parseLine, type AuditRecord } from "../../src/vault/audit-record.js";

beforeAll(async () => {
  await loadSodium();
});

const header = { time: "2026-01-01T00:00:00.000Z", user: "alice", vault: "/p/secrets.vault", env: "production" };
const record: AuditRecord = { ...header, command: "get", names: ["DB_URL"] };
const digestA = `sha256:${"a".repeat(64)}`;
const whole: AuditRecord = { ...header, command: "run node", count: 3, digest: digestA };

/** The documented encoding, built by hand: 4-byte big-endian lengths before each part. */
function expectedDigest(parts: string[]): string {
  const prefixed = (p: string) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(Buffer.byteLength(p));
    return [length, Buffer.from(p)];
  };
  const bytes = Buffer.concat(parts.flatMap(prefixed));
  return `sha256:${createHash("sha256").update(bytes).digest("hex")}`;
}

describe("the audit chain's records", () => {
  it("reads back what it writes, and chains only with the key, at its own line, after its own predecessor", () => {
    const key = newAuditKey();
    const line = keyedLine(key, 3, "prev-hash", record);
    const parsed = parseLine(line.text)!;
    expect(parsed).toEqual({ record, n: 3, prev: "prev-hash", hash: line.hash });
    expect(chainsOn(parsed, 3, "prev-hash", key)).toBe(true);
    expect(chainsOn(parsed, 3, "prev-hash", newAuditKey())).toBe(false);
    expect(chainsOn(parsed, 3, "prev-hash", undefined)).toBe(false);
    expect(chainsOn(parsed, 2, "prev-hash", key)).toBe(false);
    expect(chainsOn(parsed, 3, "other-hash", key)).toBe(false);
    expect(chainsOn({ ...parsed, record: { ...record, names: [] } }, 3, "prev-hash", key)).toBe(false);
  });

  it("still verifies a record of the old unkeyed chain, byte for byte as sealenv wrote it", async () => {
    await sodium.ready;
    const fields = [GENESIS, record.time, record.user, record.command, record.vault, record.env, record.names];
    const old = Buffer.from(sodium.crypto_generichash(32, JSON.stringify(fields), null)).toString("base64url");
    expect(legacyAuditHash(GENESIS, fields.slice(1))).toBe(old);
    const parsed = parseLine(JSON.stringify({ ...record, prev: GENESIS, hash: old }))!;
    expect(parsed.n).toBeUndefined();
    expect(chainsOn(parsed, 1, GENESIS, undefined)).toBe(true);
  });

  it("keeps a whole environment as its count and a digest, and chains it only as written", () => {
    const key = newAuditKey();
    const line = keyedLine(key, 4, "prev-hash", whole);
    expect(line.text).not.toContain("names");
    const parsed = parseLine(line.text)!;
    expect(parsed).toEqual({ record: whole, n: 4, prev: "prev-hash", hash: line.hash });
    expect(chainsOn(parsed, 4, "prev-hash", key)).toBe(true);
    expect(chainsOn({ ...parsed, record: { ...whole, count: 4 } }, 4, "prev-hash", key)).toBe(false);
    expect(chainsOn({ ...parsed, record: { ...whole, digest: `sha256:${"b".repeat(64)}` } }, 4, "prev-hash", key)).toBe(false);
    // The same header as a named record hashes differently, whatever its names.
    expect(chainsOn({ ...parsed, record: { ...header, command: "run node", names: [] } }, 4, "prev-hash", key)).toBe(false);
  });

  it.each([
    ["", ""],
    ["not json", "not json"],
    ["null", "null"],
    ["an array", "[]"],
    ["a record without its fields", '{"time":"t"}'],
    ["a line number that is not an integer", JSON.stringify({ ...record, prev: "p", hash: "h", n: 1.5 })],
    ["a whole record outside the keyed chain", JSON.stringify({ ...whole, prev: "p", hash: "h" })],
    ["names and a count both", JSON.stringify({ ...whole, names: ["A"], prev: "p", hash: "h", n: 1 })],
    ["neither names nor a count", JSON.stringify({ ...header, command: "run", prev: "p", hash: "h", n: 1 })],
    ["a negative count", JSON.stringify({ ...whole, count: -1, prev: "p", hash: "h", n: 1 })],
    ["a digest of another kind", JSON.stringify({ ...whole, digest: "a".repeat(64), prev: "p", hash: "h", n: 1 })],
  ])("refuses %s as a record", (_what, text) => {
    expect(parseLine(text)).toBeUndefined();
  });
});

describe("the digest of a whole environment's names", () => {
  it("is SHA-256 over the length-prefixed domain, count and names in code-point order, as documented", async () => {
    expect(await nameSet(["DB_URL", "API_KEY", "_Z", "a"])).toEqual({
      count: 4,
      digest: expectedDigest(["sealenv-names-v1", "4", "API_KEY", "DB_URL", "_Z", "a"]),
    });
    expect(await nameSet([])).toEqual({ count: 0, digest: expectedDigest(["sealenv-names-v1", "0"]) });
  });

  it("names the set: the order a command held the names in, or a name twice, changes nothing", async () => {
    expect(await nameSet(["B", "A", "C"])).toEqual(await nameSet(["C", "A", "B", "A"]));
  });

  it.each([
    [["AB", "C"], ["A", "BC"]],
    [["A"], ["A", "B"]],
    [["A_1"], ["A_2"]],
    [[], [""]],
  ])("tells %j from %j", async (a, b) => {
    expect((await nameSet(a)).digest).not.toBe((await nameSet(b)).digest);
  });
});

describe("the append-only log file", () => {
  it("finds the line a head names by where it ends, and nothing once the log was cut or changed there", () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "sealenv-log-")), "audit.log");
    const first = appendLine(file, "one");
    const second = appendLine(file, "twø"); // multi-byte: offsets are bytes
    expect(lastLine(file)).toEqual({ text: "twø", end: second });
    expect(lineEndingAt(file, first)).toBe("one");
    expect(lineEndingAt(file, second)).toBe("twø");
    expect(lineEndingAt(file, second + 1)).toBeUndefined();
    expect(lineEndingAt(file, first - 1)).toBeUndefined();
    writeFileSync(file, "one\n");
    expect(lineEndingAt(file, second)).toBeUndefined();
    appendFileSync(file, `${"x".repeat(20_000)}\n`);
    expect(lastLine(file)?.text).toHaveLength(20_000);
  });
});
