import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BIN, cleanupAll, type Workspace } from "../support/cli.js";
import { makeFixture, type Fixture } from "../support/fixture.js";

let fx: Fixture;
let w: Workspace;
let binDir: string;
beforeAll(() => {
  fx = makeFixture();
  w = fx.fresh();
  w.vault(["set", "API_KEY", "1"]);
  w.vault(["set", "API_URL", "2"]);
  w.vault(["set", "DB_URL", "3"]);
  w.vault(["env", "add", "staging", "--passphrase", "--same-passphrase"], { env: { VAULT_PASSPHRASE: "correct horse battery staple" } });
  binDir = path.join(w.home, "bin");
  mkdirSync(binDir);
  writeFileSync(path.join(binDir, "vault"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(path.join(binDir, "vault"), 0o755);
});
afterAll(cleanupAll);

/** Loads the bash completion in a real bash and asks it to complete `words`. */
function complete(words: string[]): string[] {
  const script = `eval "$(vault completion bash)"; COMP_WORDS=(${words.map((x) => `'${x}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _vault_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync("bash", ["-c", script], { cwd: w.dir, encoding: "utf8", env: { ...w.env, PATH: `${binDir}:${process.env.PATH}` } });
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean);
}

describe("vault completion", () => {
  it("completes commands, subcommands and flags in bash", () => {
    expect(complete(["vault", "ro"])).toEqual(["rotate"]);
    expect(complete(["vault", "env", ""])).toEqual(["ls", "add", "rm", "default"]);
    expect(complete(["vault", "run", "--ov"])).toEqual(["--override"]);
  });

  it("completes secret and environment names from the vault", () => {
    expect(complete(["vault", "get", "API"])).toEqual(["API_KEY", "API_URL"]);
    expect(complete(["vault", "ls", "--env", "st"])).toEqual(["staging"]);
  });

  it("prints zsh and fish scripts, and refuses other shells", () => {
    expect(w.vault(["completion", "zsh"]).stdout).toContain("bashcompinit");
    expect(w.vault(["completion", "fish"]).stdout).toContain("complete -c vault -n __fish_use_subcommand");
    expect(w.vault(["completion", "tcsh"]).code).toBe(2);
  });
});
