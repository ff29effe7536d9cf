import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { vaultAsync } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { deadPid } from "../support/processes.js";

const fx = useFixture();

describe("concurrent writers", () => {
  it("loses nothing when 10 `vault set` processes run at once", async () => {
    const w = fx.fresh();
    const env = { PATH: process.env.PATH, HOME: w.home, VAULT_KEY: fx.key };
    const runs = Array.from({ length: 10 }, (_, i) => vaultAsync(["set", `KEY_${i}`], w.dir, env, `value-${i}`).done);
    const results = await Promise.all(runs);
    expect(results.map((r) => r.code)).toEqual(Array(10).fill(0));
    const names = w.vault(["ls"]).stdout.trim().split("\n");
    expect(names).toHaveLength(10);
    for (let i = 0; i < 10; i++) expect(w.vault(["get", `KEY_${i}`]).stdout).toBe(`value-${i}\n`);
    expect(readdirSync(w.dir)).toEqual(["secrets.vault"]);
  });

  it("recovers a lock left by a process that died, and clears its half-written temp file", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    const lock = path.join(w.dir, "secrets.vault.lock");
    writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), at: Date.now() }));
    writeFileSync(path.join(w.dir, ".secrets.vault.deadbeefdeadbeef.tmp"), '{ "sealenv": 1, "id": "tru');
    const r = w.vault(["set", "B", "2"]);
    expect(r.code).toBe(0);
    expect(existsSync(lock)).toBe(false);
    expect(readdirSync(w.dir)).toEqual(["secrets.vault"]);
    expect(w.vault(["get", "A"]).stdout).toBe("1\n");
    expect(w.vault(["get", "B"]).stdout).toBe("2\n");
  });

  it("waits for a lock held by a live process", async () => {
    const w = fx.fresh();
    const lock = path.join(w.dir, "secrets.vault.lock");
    writeFileSync(lock, JSON.stringify({ pid: process.pid, host: hostname(), at: Date.now() }));
    const env = { PATH: process.env.PATH, HOME: w.home, VAULT_KEY: fx.key };
    const pending = vaultAsync(["set", "WAITED"], w.dir, env, "yes").done;
    await new Promise((r) => setTimeout(r, 700));
    expect(w.vault(["ls"]).stdout).toBe("");
    spawnSync("rm", [lock]);
    const r = await pending;
    expect(r.code).toBe(0);
    expect(w.vault(["get", "WAITED"]).stdout).toBe("yes\n");
  });
});
