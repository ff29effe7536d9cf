import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadSodium } from "../src/crypto/index.js";
import { ROOT } from "./support/cli.js";
import { readVectors, runVector } from "./support/vectors.js";

const committed = readVectors(path.join(ROOT, "test/vectors"));

beforeAll(async () => {
  await loadSodium();
});

describe("test vectors", () => {
  it("has at least 60, covering every outcome class", () => {
    expect(committed.length).toBeGreaterThanOrEqual(60);
    const classes = new Set(committed.map((v) => v.header.expect));
    for (const c of ["success", "format", "version", "kdf", "integrity", "wrong-key", "stale-key", "other-env-key", "bad-key-string", "no-key"]) {
      expect(classes).toContain(c);
    }
  });

  it.each(committed.map((v) => [v.file, v] as const))("%s", async (_file, vector) => {
    const result = await runVector(vector);
    expect(result.outcome, result.message).toBe(vector.header.expect);
    if (vector.header.expect === "success") expect(result.sha256).toBe(vector.header.sha256);
  });

  it("come from the generator, which still produces vectors that hold", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "sealenv-vectors-"));
    const r = spawnSync(process.execPath, [path.join(ROOT, "scripts/gen-vectors.mjs"), dir], { encoding: "utf8" });
    expect(r.status, r.stderr).toBe(0);
    const fresh = readVectors(dir);
    expect(fresh.map((v) => v.file)).toEqual(committed.map((v) => v.file));
    for (const vector of fresh.filter((v) => !v.header.passphrase)) {
      expect((await runVector(vector)).outcome, vector.file).toBe(vector.header.expect);
    }
  });
});
