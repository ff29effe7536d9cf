import { describe, expect, it } from "vitest";
import { exampleText } from "../../src/cli/env-example.js";

describe(".env.example text", () => {
  it("says where a name is set and where it is a template, only when not everywhere", () => {
    const text = exampleText(
      [
        { name: "A", envs: ["dev", "prod"], templateIn: [], uses: [] },
        { name: "URL", envs: ["dev", "prod"], templateIn: ["dev"], uses: ["HOST", "PW"] },
        { name: "DEV_ONLY", envs: ["dev"], templateIn: ["dev"], uses: [] },
      ],
      ["dev", "prod"],
      true,
    );
    expect(text.split("\n").slice(1)).toEqual([
      "A=",
      "# URL is a template in dev, built from ${HOST}, ${PW}",
      "URL=",
      "# DEV_ONLY is a template",
      "# DEV_ONLY= (only in dev)",
      "",
    ]);
  });

  it("is dotenv that reads as every name, empty", async () => {
    const { parse } = await import("dotenv");
    const text = exampleText([{ name: "A", envs: ["dev"], templateIn: ["dev"], uses: ["B"] }, { name: "B", envs: ["dev"], templateIn: [], uses: [] }], ["dev"], false);
    expect(parse(text)).toEqual({ A: "", B: "" });
  });
});
