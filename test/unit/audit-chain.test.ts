import { appendFileSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sodium from "libsodium-wrappers-sumo";
import { beforeAll, describe, expect, it } from "vitest";
import { legacyAuditHash, newAuditKey } from "../../src/crypto/audit-hash.js";
import { loadSodium } from "../../src/crypto/sodium.js";
import { appendLine, lastLine, lineEndingAt } from "../../src/store/append-log.js";
import { chainsOn, GENESIS, keyedLine, parseLine, type AuditRecord } from "../../src/vault/audit-record.js";

beforeAll(async () => {
  await loadSodium();
});

const record: AuditRecord = { time: "2026-01-01T00:00:00.000Z", user: "alice", command: "get", vault: "/p/secrets.vault", env: "production", names: ["DB_URL"] };

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

  it.each(["", "not json", "null", "[]", '{"time":"t"}', JSON.stringify({ ...record, prev: "p", hash: "h", n: 1.5 })])("refuses %j as a record", (text) => {
    expect(parseLine(text)).toBeUndefined();
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
