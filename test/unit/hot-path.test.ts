import { describe, expect, it } from "vitest";
import { hotCommand } from "../../src/cli/hot-path.js";

describe("hotCommand", () => {
  it.each([
    [["run", "--", "npm", "start"], { name: "run", command: ["npm", "start"], options: {} }],
    [["run", "npm", "start", "--env", "x"], { name: "run", command: ["npm", "start", "--env", "x"], options: {} }],
    [["run", "--env", "production", "--override", "--", "node", "-e", "1"], { name: "run", command: ["node", "-e", "1"], options: { env: "production", override: true } }],
    [["run", "--env=staging", "-y", "--vault", "a/secrets.vault", "cmd"], { name: "run", command: ["cmd"], options: { env: "staging", yes: true, vault: "a/secrets.vault" } }],
    [["get", "API_KEY"], { name: "get", secret: "API_KEY", options: {} }],
    [["get", "--env", "production", "API_KEY"], { name: "get", secret: "API_KEY", options: { env: "production" } }],
    [["get", "API_KEY", "--vault=x.vault"], { name: "get", secret: "API_KEY", options: { vault: "x.vault" } }],
  ])("recognises %j", (args, expected) => {
    expect(hotCommand(args)).toEqual(expected);
  });

  it.each([
    [["run"]],
    [["run", "--"]],
    [["run", "--help"]],
    [["run", "--env"]],
    [["run", "--env", "--override", "cmd"]],
    [["run", "--unknown", "cmd"]],
    [["get"]],
    [["get", "A", "B"]],
    [["get", "--help"]],
    [["get", "-h", "A"]],
    [["set", "A", "1"]],
    [["--help"]],
    [[]],
  ])("leaves %j to commander", (args) => {
    expect(hotCommand(args)).toBeUndefined();
  });
});
