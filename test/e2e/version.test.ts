import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, workspace } from "../support/cli.js";
import { useWorkspaces } from "../support/fixture.js";

useWorkspaces();

describe("the version", () => {
  it.each([["-v"], ["-V"], ["--version"], ["version"]])("is printed by `vault %s`, alone, on stdout", (flag) => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string };
    const r = workspace().vault([flag]);
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code: 0, stdout: `${version}\n`, stderr: "" });
  });
});
