/**
 * The command line behaves like the CLIs people know: global options before the command,
 * help that errors on what does not exist, every line of an error carrying the `vault:`
 * prefix, examples in every command's help, and an editor that cannot start named as such.
 */
import { spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { BIN, PASSPHRASE } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";

const fx = useFixture();

describe("global options", () => {
  it("go before the command, and the command's own option wins", () => {
    const w = fx.fresh();
    const env = { VAULT_PASSPHRASE: PASSPHRASE };
    expect(w.vault(["env", "add", "production", "--passphrase", "--same-passphrase"], { env }).code).toBe(0);
    w.vault(["set", "X", "dev-x"]);
    w.vault(["--env", "production", "set", "X", "prod-x"], { env });
    expect(w.vault(["--env", "production", "get", "X"], { env }).stdout).toBe("prod-x\n");
    expect(w.vault(["get", "X"], { env }).stdout).toBe("dev-x\n");
    expect(w.vault(["--env", "production", "get", "X", "--env", "development"], { env }).stdout).toBe("dev-x\n");
    // From another folder, naming the file; -y before the command too.
    const elsewhere = fx.fresh();
    const listed = elsewhere.vault(["--vault", `${w.dir}/secrets.vault`, "-y", "ls"]);
    expect({ code: listed.code, stdout: listed.stdout }).toEqual({ code: 0, stdout: "X\n" });
    // Through a group of commands as well.
    expect(w.vault(["--env", "production", "env", "ls"]).stdout).toBe("development (default)\nproduction\n");
  });
});

describe("help and mistakes", () => {
  it("`vault help nosuch` is an error, not the whole help", () => {
    const w = fx.fresh();
    for (const args of [["help", "nosuch"], ["help", "env", "nosuch"]]) {
      const r = w.vault(args);
      expect({ code: r.code, stdout: r.stdout }).toEqual({ code: EXIT.USAGE, stdout: "" });
      expect(r.stderr).toBe(`vault: error: no command \`vault ${args.slice(1).join(" ")}\`\nvault: hint: \`vault --help\` lists the commands\n`);
    }
    expect(w.vault(["help", "env", "add"]).stdout).toContain("Usage: vault env add [options] <name>");
  });

  it("a typo gets a suggestion, every line prefixed with vault:", () => {
    const r = fx.fresh().vault(["sett", "X"]);
    expect(r.code).toBe(EXIT.USAGE);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toContain("vault: (Did you mean set?)");
    for (const line of lines) expect(line).toMatch(/^vault: /);
  });

  it.each([
    ["run", "vault run -- npm start"],
    ["run", 'VAULT_KEY_PRODUCTION="$KEY" vault run --env production'],
    ["set", "vault set --template DATABASE_URL"],
    ["member add", "--env development,staging"],
    ["import", "vault import --expand .env"],
    ["scan", "vault scan --staged"],
    ["status", "vault status --check"],
    ["env add", "vault env add production --passphrase"],
    ["completion", 'eval "$(vault completion zsh)"'],
  ])("`vault help %s` ends with EXAMPLES, among them %s", (command, example) => {
    const r = fx.fresh().vault(["help", ...command.split(" ")]);
    expect(r.code).toBe(0);
    const examples = r.stdout.slice(r.stdout.indexOf("\nEXAMPLES\n"));
    expect(examples).toMatch(/^\nEXAMPLES\n {2}\$ /);
    expect(examples).toContain(example);
  });
});

describe("a stdout that cannot be written", () => {
  it("is one line and the io exit code, not a stack trace, on the hot path and the full CLI alike", () => {
    const w = fx.fresh();
    expect(w.vault(["set", "SHOWN"], { input: "value" }).code).toBe(0);
    const full = openSync("/dev/full", "w");
    try {
      for (const args of [["get", "SHOWN"], ["ls"], ["--version"], ["help", "get"], ["export"]]) {
        const r = spawnSync(process.execPath, [BIN, ...args], { cwd: w.dir, env: w.env, stdio: ["ignore", full, "pipe"], encoding: "utf8" });
        expect({ args, code: r.status }).toEqual({ args, code: EXIT.IO });
        expect(r.stderr).toBe("vault: error: cannot write to stdout (ENOSPC)\nvault: hint: check where stdout goes (a full disk, a closed pipe)\n");
        expect(r.stderr).not.toMatch(/\n\s+at /);
        expect(r.stderr).not.toContain("value");
      }
    } finally {
      closeSync(full);
    }
  });
});

describe("a stderr that cannot be written", () => {
  it("leaves the exit code the command's: a set is done, a missing secret is still not found", () => {
    const w = fx.fresh();
    const full = openSync("/dev/full", "w");
    try {
      const run = (args: string[], input = "") => spawnSync(process.execPath, [BIN, ...args], { cwd: w.dir, env: w.env, input, stdio: ["pipe", "pipe", full], encoding: "utf8" });
      expect(run(["set", "NOTED"], "value").status).toBe(EXIT.OK);
      expect(run(["get", "NOPE"]).status).toBe(EXIT.NOT_FOUND);
      expect(run(["nosuch"]).status).toBe(EXIT.USAGE);
    } finally {
      closeSync(full);
    }
    expect(w.vault(["get", "NOTED"]).stdout).toBe("value\n");
  });
});

describe("vault edit", () => {
  it("names an editor that cannot be started, with a hint, and changes nothing", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "value-a"]);
    const before = w.snapshot();
    const r = w.vault(["edit"], { env: { EDITOR: "no-such-editor-here", VISUAL: "" } });
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: EXIT.COMMAND_NOT_FOUND, stdout: "" });
    expect(r.stderr).toContain('vault: error: cannot start the editor "no-such-editor-here": not found; nothing changed');
    expect(r.stderr).toMatch(/^vault: hint: set VISUAL or EDITOR/m);
    expect(w.snapshot()).toEqual(before);
  });
});
