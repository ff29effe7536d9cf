/**
 * What a member sees of an attack: a refusal that names no value it protects, or their
 * program receiving the real value.
 */
import { expect } from "vitest";
import type { Result } from "./cli.js";
import { probe, type Person } from "./people.js";
import type { Repo } from "./projects.js";

export function expectNoneOf(r: Pick<Result, "stdout" | "stderr">, marks: string[]): void {
  for (const m of marks) {
    expect(r.stdout).not.toContain(m);
    expect(r.stderr).not.toContain(m);
  }
}

/** A refusal: the exit code, nothing on stdout, and no value of `marks` anywhere. */
export function expectRefused(r: Result, code: number, marks: string[] = []): void {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code, stdout: "" });
  expect(r.stderr).not.toContain("unexpected");
  expectNoneOf(r, marks);
}

/** Each member's program receives the real value: the machine has verified the environment. */
export function expectReceives(people: Person[], repo: Repo, name: string, value: string, extra: string[] = []): void {
  for (const p of people) {
    const r = probe(p, repo.dir, name, extra);
    expect({ who: p.name, code: r.code, stdout: r.stdout }).toEqual({ who: p.name, code: 0, stdout: `${value}\n` });
  }
}
