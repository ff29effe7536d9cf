import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import sodium from "libsodium-wrappers-sumo";

/**
 * The audit trail's files as an attacker who can write the user's files sees them, with
 * the chain rebuilt by hand from the documented format (not from sealenv's code).
 */
export interface LogLine {
  time: string;
  user: string;
  command: string;
  vault: string;
  env: string;
  /** A command that touched some secrets. */
  names?: string[];
  /** A command that read a whole environment: how many, and `sha256:` hex of their names. */
  count?: number;
  digest?: string;
  n?: number;
  prev: string;
  hash: string;
}

export const sodiumReady = sodium.ready;

const dirOf = (home: string) => path.join(home, ".config", "sealenv");
export const logOf = (home: string) => path.join(dirOf(home), "audit.log");
export const headFileOf = (home: string) => path.join(dirOf(home), "audit.head");
export const keyFileOf = (home: string) => path.join(dirOf(home), "audit.key");

export function readLog(home: string): LogLine[] {
  return readFileSync(logOf(home), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as LogLine);
}

export function writeLog(home: string, lines: LogLine[]): void {
  writeFileSync(logOf(home), lines.map((l) => `${JSON.stringify(l)}\n`).join(""));
}

/** The key an attacker reads from audit.key. */
export function stolenKey(home: string): Uint8Array {
  const { key } = JSON.parse(readFileSync(keyFileOf(home), "utf8")) as { key: string };
  return new Uint8Array(Buffer.from(key, "base64url"));
}

const hashOf = (message: string, key: Uint8Array | null) => Buffer.from(sodium.crypto_generichash(32, message, key)).toString("base64url");
const fields = (l: LogLine) => [l.time, l.user, l.command, l.vault, l.env, ...(l.names ? [l.names] : [l.count, l.digest])];

/**
 * Renumbers and re-hashes every line after an edit: "keyed" with the key given (a random
 * one, none, or a stolen one), or "legacy", the unkeyed chain of sealenv before the key.
 */
export function rechain(lines: LogLine[], how: { key: Uint8Array | null } | "legacy"): LogLine[] {
  let prev = "sealenv-audit-v1";
  return lines.map((line, i) => {
    const { n: _n, prev: _p, hash: _h, ...record } = line;
    const out: LogLine =
      how === "legacy"
        ? { ...record, prev, hash: hashOf(JSON.stringify([prev, ...fields(line)]), null) }
        : { ...record, n: i + 1, prev, hash: hashOf(JSON.stringify(["sealenv-audit-v2", prev, i + 1, ...fields(line)]), how.key) };
    prev = out.hash;
    return out;
  });
}

/** Rewrites audit.head to name the log's last record as it is now, as sealenv would have. */
export function forgeHead(home: string): void {
  const lines = readLog(home);
  const last = lines[lines.length - 1]!;
  const head = { count: lines.length, hash: last.hash, end: statSync(logOf(home)).size };
  writeFileSync(headFileOf(home), JSON.stringify({ v: 1, heads: { [logOf(home)]: head } }));
}

/** A log as sealenv wrote it before its chain was keyed. */
export function legacyLog(home: string, commands: string[]): void {
  const records = commands.map((command, i) => ({
    time: `2025-01-0${i + 1}T00:00:00.000Z`,
    user: "alice",
    command,
    vault: "/old/secrets.vault",
    env: "development",
    names: ["A"],
    prev: "",
    hash: "",
  }));
  mkdirSync(dirOf(home), { recursive: true, mode: 0o700 });
  writeLog(home, rechain(records, "legacy"));
}
