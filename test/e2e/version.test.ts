import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cleanupAll, ROOT, workspace } from "../support/cli.js";

afterAll(cleanupAll);

describe("the version", () => {
  it.each([["-v"], ["-V"], ["--version"], ["version"]])("is printed by `vault %s`, alone, on stdout", (flag) => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const r = workspace().vault([flag]);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});
