import { randomBytes } from "node:crypto";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { forgeHead, headFileOf, keyFileOf, legacyLog, logOf, readLog, rechain, sodiumReady, stolenKey, writeLog, type LogLine } from "../support/audit-log.js";
import { vaultAsync, type Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { startKeyring, type Keyring } from "../support/keyring.js";

const fx = useFixture();
beforeAll(async () => {
  await sodiumReady;
});

/** A workspace with `n` records in its log: a set, then gets. */
function withRecords(n: number, env: Record<string, string | undefined> = {}): Workspace {
  const w = fx.fresh();
  w.vault(["set", "A", "value-a"], { env });
  for (let i = 1; i < n; i++) w.vault(["get", "A"], { env });
  return w;
}

/** Cuts the last `k` lines off the log, as `head -n` would. */
function cutEnd(w: Workspace, k: number): void {
  const lines = readFileSync(logOf(w.home), "utf8").trim().split("\n");
  writeFileSync(logOf(w.home), `${lines.slice(0, -k).join("\n")}\n`);
}

describe("the audit trail", () => {
  it("records who revealed or changed which secrets, never the values, in a 0600 file", () => {
    const w = fx.fresh();
    w.vault(["set", "API_TOKEN", "audit-secret-value"]);
    w.vault(["get", "API_TOKEN"]);
    w.vault(["run", "--", "true"]);
    w.vault(["export", "--format", "json"]);
    w.vault(["rm", "API_TOKEN"]);
    w.vault(["ls"]); // names only: not recorded
    const r = w.vault(["audit", "--json"]);
    expect(r.code).toBe(0);
    const records = JSON.parse(r.stdout) as { command: string; env: string; names: string[]; user: string; vault: string }[];
    expect(records.map((x) => x.command)).toEqual(["set", "get", "run true", "export --format json", "rm"]);
    expect(records.every((x) => x.env === "development" && x.vault === path.join(w.dir, "secrets.vault") && x.user.length > 0)).toBe(true);
    expect(records[1]!.names).toEqual(["API_TOKEN"]);
    const raw = readFileSync(logOf(w.home), "utf8");
    expect(raw).not.toContain("audit-secret-value");
    for (const file of [logOf(w.home), keyFileOf(w.home), headFileOf(w.home)]) expect(statSync(file).mode & 0o777).toBe(0o600);
    const verdict = w.vault(["audit", "--verify"]);
    // The verdict only, on stdout: the records are `vault audit`'s.
    expect(verdict.stdout.split("\n")[0]).toBe(`the audit log is intact: 5 record(s) in ${logOf(w.home)}`);
    expect(verdict.stdout).not.toContain("API_TOKEN");
  });

  it("verifies a fresh log, empty or not, and says where its key and head are kept", () => {
    const w = fx.fresh();
    const empty = w.vault(["audit", "--verify"]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toContain("intact: 0 record(s)");
    w.vault(["set", "A", "1"]);
    const one = w.vault(["audit", "--verify"]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("intact: 1 record(s)");
    expect(one.stdout).toContain("kept in files (no OS keychain answered)");
  });

  it.each([
    ["an edited record", (lines: string[]) => (lines[1] = lines[1]!.replace('"get"', '"ls"'))],
    ["a removed record", (lines: string[]) => lines.splice(1, 1)],
    ["swapped records", (lines: string[]) => ([lines[0], lines[1]] = [lines[1]!, lines[0]!])],
  ])("detects %s", (_what, change) => {
    const w = withRecords(3);
    const lines = readFileSync(logOf(w.home), "utf8").trim().split("\n");
    change(lines);
    writeFileSync(logOf(w.home), `${lines.join("\n")}\n`);
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stderr).toMatch(/the audit log was changed at line [12]/);
  });

  it.each([
    ["the old unkeyed chain", "legacy" as const],
    ["the keyed format without a key", { key: null }],
    ["a key of the attacker's own", { key: new Uint8Array(randomBytes(32)) }],
  ])("detects records removed from the middle and the chain recomputed with %s", (_what, how) => {
    const w = withRecords(5);
    const lines = readLog(w.home);
    lines.splice(1, 2);
    writeLog(w.home, rechain(lines, how));
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stderr).toContain("vault: error: ");
    expect(r.stderr).not.toContain("intact");
  });

  it("detects the end of the log cut off, by the head file it did not also rewrite", () => {
    const w = withRecords(5);
    cutEnd(w, 2);
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stderr).toContain(`the audit log ends at record 3, but its head in ${headFileOf(w.home)} names record 5`);
    expect(r.stderr).toContain("vault audit --accept");
  });

  it("detects a log emptied, or removed", () => {
    const w = withRecords(2);
    truncateSync(logOf(w.home), 0);
    expect(w.vault(["audit", "--verify"]).code).toBe(EXIT.INTEGRITY);
    rmSync(logOf(w.home));
    expect(w.vault(["audit", "--verify"]).code).toBe(EXIT.INTEGRITY);
  });

  it("does not launder a cut: later commands leave the head naming the lost record", () => {
    const w = withRecords(4);
    cutEnd(w, 2);
    expect(w.vault(["get", "A"]).code).toBe(0);
    expect(w.vault(["get", "A"]).code).toBe(0);
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stderr).toContain("record 4 of the audit log is not the one its head");
  });

  it("starts again from the log as it is after `vault audit --accept`", () => {
    const w = withRecords(4);
    cutEnd(w, 3);
    expect(w.vault(["audit", "--verify"]).code).toBe(EXIT.INTEGRITY);
    const accepted = w.vault(["audit", "--accept"]);
    expect(accepted.code).toBe(0);
    expect(accepted.stderr).toContain("names its 1 record(s)");
    w.vault(["get", "A"]);
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("intact: 2 record(s)");
  });

  it("reads an old unkeyed log, seals it with the first keyed record, and says which lines predate the key", () => {
    const w = fx.fresh();
    legacyLog(w.home, ["set", "get", "run node"]);
    const old = w.vault(["audit", "--verify"]);
    expect(old.code).toBe(0);
    expect(old.stdout).toContain("intact: 3 record(s)");
    expect(old.stdout).toContain("its records predate the keyed chain");

    w.vault(["set", "A", "1"]);
    w.vault(["get", "A"]);
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("intact: 5 record(s)");
    expect(r.stdout).toContain("records before line 4 predate the keyed chain");
    expect(readLog(w.home).map((l) => l.n)).toEqual([undefined, undefined, undefined, 4, 5]);

    // An old record edited and the old chain recomputed: the first keyed record no longer follows it.
    const lines = readLog(w.home);
    lines[1]!.command = "ls";
    writeLog(w.home, [...rechain(lines.slice(0, 3), "legacy"), ...lines.slice(3)]);
    const edited = w.vault(["audit", "--verify"]);
    expect(edited.code).toBe(EXIT.INTEGRITY);
    expect(edited.stderr).toContain("changed at line 4");
  });

  it("refuses to start a new key for a keyed log whose key is gone", () => {
    const w = withRecords(2);
    rmSync(keyFileOf(w.home));
    const get = w.vault(["get", "A"]);
    expect(get.code).toBe(0);
    expect(get.stderr).toContain("could not write the audit log");
    expect(readLog(w.home)).toHaveLength(2);
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stderr).toContain("no audit key was found");
  });

  it("keeps one unbroken chain when processes append at once", async () => {
    const w = fx.fresh();
    const env = { PATH: process.env.PATH, HOME: w.home, VAULT_KEY: fx.key };
    await Promise.all(Array.from({ length: 8 }, (_, i) => vaultAsync(["set", `K${i}`], w.dir, env, `value-${i}`).done));
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("8 record(s)");
  });
});

/** A workspace whose development environment holds `n` secrets, imported from a generated .env. */
function withSecrets(n: number): Workspace {
  const w = fx.fresh();
  const dotenv = Array.from({ length: n }, (_, i) => `SECRET_${String(i).padStart(4, "0")}=value-${i}\n`).join("");
  expect(w.vault(["import", "-"], { input: dotenv }).code).toBe(0);
  return w;
}

/** The log's last line, raw and parsed. */
function lastRecord(w: Workspace): { text: string; line: LogLine } {
  const text = readFileSync(logOf(w.home), "utf8").trim().split("\n").pop()!;
  return { text, line: JSON.parse(text) as LogLine };
}

/** `vault audit`'s line for each record, as the user reads it. */
const shown = (w: Workspace) => w.vault(["audit"]).stdout.trim().split("\n");

describe("the audit trail of commands that read a whole environment", () => {
  it("keeps a run's record the same size at 10 and at 1,000 secrets: their count and a digest of their names", () => {
    const sizes = [10, 1000].map((n) => {
      const w = withSecrets(n);
      expect(w.vault(["run", "--", "true"]).code).toBe(0);
      const { text, line } = lastRecord(w);
      expect(line).toMatchObject({ command: "run true", env: "development", count: n });
      expect(line.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(line).not.toHaveProperty("names");
      expect(text).not.toContain("SECRET_");
      expect(shown(w)[1]).toContain(`  run true  development  ${n === 10 ? "10" : "1,000"} secrets, names ${line.digest!.slice(7, 19)} (as now)  `);
      // Only the count's digits and the temp folder's path may differ.
      return text.length - String(n).length - line.vault.length;
    });
    expect(sizes[1]).toBe(sizes[0]);
    expect(sizes[0]).toBeLessThan(400);
  });

  it("shows whether a run saw the names the environment has now, with equal digests for equal names", () => {
    const w = withSecrets(2);
    w.vault(["run", "--", "true"]);
    w.vault(["set", "EXTRA", "x"]);
    w.vault(["export", "--format", "json"]);
    const [first, , second] = readLog(w.home).slice(1);
    expect(first!.digest).not.toBe(second!.digest);
    expect(shown(w).slice(1)).toEqual([
      expect.stringContaining(`run true  development  2 secrets, names ${first!.digest!.slice(7, 19)} (changed since)`),
      expect.stringContaining("set  development  EXTRA"),
      expect.stringContaining(`export --format json  development  3 secrets, names ${second!.digest!.slice(7, 19)} (as now)`),
    ]);

    w.vault(["rm", "EXTRA"]);
    w.vault(["run", "--", "true"]);
    const third = readLog(w.home).at(-1)!;
    expect(third.digest).toBe(first!.digest);
    expect(shown(w)[1]).toContain("(as now)");
    expect(shown(w)[3]).toContain("(changed since)");

    // A file no vault would be (past 64 MiB) is not read to compare, even one that parses:
    // a log can name any path, and `vault audit` must not fill its memory with it.
    const vault = readFileSync(w.vaultFile);
    writeFileSync(w.vaultFile, Buffer.concat([vault, Buffer.alloc(64 * 1024 * 1024, " ")]));
    expect(shown(w)[1]).toMatch(/2 secrets, names [0-9a-f]{12} {2}\//);
    writeFileSync(w.vaultFile, vault);
    expect(shown(w)[1]).toContain("(as now)");

    // Without the vault file there is nothing to compare with: the count and digest alone.
    rmSync(w.vaultFile);
    expect(shown(w)[1]).toMatch(/2 secrets, names [0-9a-f]{12} {2}\//);
  });

  it.each([
    ["its count changed", (l: LogLine[]) => (l[2]!.count = 1)],
    ["its digest changed", (l: LogLine[]) => (l[2]!.digest = `sha256:${"0".repeat(64)}`)],
    ["its count and digest turned into a list of names", (l: LogLine[]) => {
      const { count: _c, digest: _d, ...rest } = l[2]!;
      l[2] = { ...rest, names: ["SECRET_0000"] };
    }],
    ["it removed", (l: LogLine[]) => l.splice(2, 1)],
  ])("verifies a log of whole-environment records, and detects one with %s", (_what, change) => {
    const w = withSecrets(3);
    w.vault(["get", "SECRET_0000"]);
    w.vault(["run", "--", "true"]);
    w.vault(["export", "--format", "json"]);
    const intact = w.vault(["audit", "--verify"]);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toContain("intact: 4 record(s)");
    const lines = readLog(w.home);
    change(lines);
    writeLog(w.home, lines);
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stderr).toContain("the audit log was changed at line 3");
  });

  it("reads and verifies a log sealenv 0.1.0 wrote, whose run record lists every name, and continues its chain", () => {
    const w = fx.fresh();
    const dir = path.dirname(logOf(w.home));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const fixture = path.join(import.meta.dirname, "../fixtures/audit-0.1.0");
    for (const [from, to] of [["audit.log", logOf(w.home)], ["audit.key", keyFileOf(w.home)]] as const) {
      copyFileSync(path.join(fixture, from), to);
      chmodSync(to, 0o600);
    }
    forgeHead(w.home); // its head named the same last record, under the path it had there
    expect(readLog(w.home)[3]).toMatchObject({ command: "run true", names: ["API_TOKEN", "DATABASE_URL", "STRIPE_KEY"] });
    const old = w.vault(["audit", "--verify"]);
    expect(old.code).toBe(0);
    expect(old.stdout).toContain("intact: 5 record(s)");
    expect(shown(w)[3]).toContain("  run true  development  API_TOKEN,DATABASE_URL,STRIPE_KEY  ");

    w.vault(["set", "A", "1"]);
    w.vault(["run", "--", "true"]);
    const r = w.vault(["audit", "--verify"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("intact: 7 record(s)");
    expect(lastRecord(w).line).toMatchObject({ command: "run true", count: 1, n: 7 });

    const lines = readLog(w.home);
    lines[3]!.names = ["API_TOKEN", "DATABASE_URL"];
    writeLog(w.home, lines);
    const edited = w.vault(["audit", "--verify"]);
    expect(edited.code).toBe(EXIT.INTEGRITY);
    expect(edited.stderr).toContain("changed at line 4");
  });
});

describe("the audit trail with its head in the OS keychain (real gnome-keyring)", () => {
  let keyring: Keyring;
  let desktop: Record<string, string>;
  beforeAll(async () => {
    keyring = await startKeyring();
    desktop = { DBUS_SESSION_BUS_ADDRESS: keyring.address };
  });
  afterAll(async () => {
    await keyring?.stop();
  });

  it("detects the end cut off even when the head file was rewritten to match", () => {
    const w = withRecords(5, desktop);
    expect(w.vault(["audit", "--verify"], { env: desktop }).stdout).toContain("its head is kept in the OS keychain");
    cutEnd(w, 2);
    forgeHead(w.home);
    const r = w.vault(["audit", "--verify"], { env: desktop });
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stderr).toContain("the audit log ends at record 3, but its head in the OS keychain names record 5");

    // A later command neither launders the cut nor is lost.
    w.vault(["get", "A"], { env: desktop });
    const later = w.vault(["audit", "--verify"], { env: desktop });
    expect(later.code).toBe(EXIT.INTEGRITY);
    expect(later.stderr).toContain("the audit log ends at record 4, but its head in the OS keychain names record 5");
  });

  it("detects records removed and re-chained with the key read from audit.key, and the head file forged", () => {
    const w = withRecords(5, desktop);
    const lines = readLog(w.home);
    lines.splice(1, 1);
    writeLog(w.home, rechain(lines, { key: stolenKey(w.home) }));
    forgeHead(w.home);
    const r = w.vault(["audit", "--verify"], { env: desktop });
    expect(r.code).toBe(EXIT.INTEGRITY);
    expect(r.stderr).toContain("names record 5");
  });

  it("where key and head are only files, someone who rewrites all three goes unnoticed (the stated limit)", () => {
    const w = withRecords(5);
    const lines = readLog(w.home);
    lines.splice(1, 1);
    writeLog(w.home, rechain(lines, { key: stolenKey(w.home) }));
    forgeHead(w.home);
    expect(w.vault(["audit", "--verify"]).code).toBe(0);
  });

  it("keeps one chain across commands that cannot reach the keychain, and anchors them later", () => {
    const w = withRecords(2, desktop);
    w.vault(["get", "A"]); // no session bus: an ssh session, cron
    w.vault(["get", "A"]);
    const r = w.vault(["audit", "--verify"], { env: desktop });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("intact: 4 record(s)");
    expect(r.stdout).toContain("the newest 2 record(s) were written where the OS keychain did not answer");
    w.vault(["get", "A"], { env: desktop });
    const anchored = w.vault(["audit", "--verify"], { env: desktop });
    expect(anchored.code).toBe(0);
    expect(anchored.stderr).not.toContain("did not answer");

    // Cutting off records the keychain did not cover when written is still caught once it has.
    cutEnd(w, 1);
    forgeHead(w.home);
    expect(w.vault(["audit", "--verify"], { env: desktop }).code).toBe(EXIT.INTEGRITY);
  });

  it("restores a removed audit.key from the keychain's copy", () => {
    const w = withRecords(2, desktop);
    const key = readFileSync(keyFileOf(w.home), "utf8");
    rmSync(keyFileOf(w.home));
    expect(w.vault(["get", "A"], { env: desktop }).stderr).not.toContain("could not write the audit log");
    expect(readFileSync(keyFileOf(w.home), "utf8")).toBe(key);
    expect(w.vault(["audit", "--verify"], { env: desktop }).code).toBe(0);
  });
});
