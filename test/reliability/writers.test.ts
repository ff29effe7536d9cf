import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, type Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { FULL, pick } from "./size.js";

const fx = useFixture();

const WORKER = path.join(ROOT, "test/support/set-worker.mjs");

function worker(w: Workspace, args: string[]) {
  const child = spawn(process.execPath, [WORKER, ...args], { cwd: w.dir, env: w.env, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  // The counter worker prints each number once its write is complete: the first line means it is writing.
  const writing = new Promise<void>((resolve) => child.stdout.once("data", () => resolve()));
  child.stdout.resume();
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on("exit", (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, writing, done };
}

const leftovers = (w: Workspace) => readdirSync(w.dir).filter((f) => f !== "secrets.vault");

describe("concurrent writers", () => {
  it(`loses no update: ${pick("4 processes x 10", "16 processes x 50")} sets on distinct names, repeated`, async () => {
    const [procs, each, rounds] = FULL ? [16, 50, 3] : [4, 10, 2];
    const w = fx.fresh();
    for (let round = 0; round < rounds; round++) {
      const results = await Promise.all(Array.from({ length: procs }, (_, p) => worker(w, ["distinct", `R${round}P${p}`, String(each)]).done));
      for (const r of results) expect(r.code, r.stderr).toBe(0);
    }
    const names = w.vault(["ls"]).stdout.trim().split("\n");
    expect(names).toHaveLength(procs * each * rounds);
    expect(w.vault(["get", `R0P0_${each - 1}`]).stdout).toBe(`value-R0P0-${each - 1}\n`);
    expect(leftovers(w)).toEqual([]);
    console.log(`concurrent writers: ${procs} processes x ${each} sets x ${rounds} rounds, ${names.length} secrets, 0 lost`);
  });
});

describe("a writer killed at random points", () => {
  it(`always leaves the old or the new vault: ${pick(40, 1000)} SIGKILLs`, async () => {
    const kills = pick(40, 1000);
    const w = fx.fresh();
    let last = 0;
    for (let i = 0; i < kills; i++) {
      const { child, writing, done } = worker(w, ["counter"]);
      // Killed only once it has completed a write, then at a random point of the writes that follow.
      await Promise.race([writing, done]);
      await new Promise((r) => setTimeout(r, Math.random() * 40));
      child.kill("SIGKILL");
      const end = await done;
      expect(end.signal, end.stderr).toBe("SIGKILL");
      const r = w.vault(["export", "--format", "json"]);
      expect(r.code, r.stderr).toBe(0);
      const values = JSON.parse(r.stdout) as Record<string, string>;
      const counter = Number(values.COUNTER ?? 0);
      // Both names written by one write: a torn write would split them.
      expect(values.COUNTER_COPY ?? "0").toBe(values.COUNTER ?? "0");
      expect(counter).toBeGreaterThanOrEqual(last);
      last = counter;
    }
    // Every writer completed at least one write before it was killed: the kills hit real writes.
    expect(last).toBeGreaterThanOrEqual(kills);
    // The next write recovers the dead writer's lock and clears its temp file.
    expect(w.vault(["set", "AFTER", "ok"]).code).toBe(0);
    expect(leftovers(w)).toEqual([]);
    console.log(`SIGKILL: ${kills} writers killed, ${last} complete writes seen, every state whole`);
  }, 30 * 60_000);
});
