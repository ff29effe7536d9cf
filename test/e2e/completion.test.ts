import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, type Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";

const fx = useFixture();
let w: Workspace;
let binDir: string;
beforeAll(() => {
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

/** Loads the bash completion in a real bash and asks it to complete `words`. */
function complete(words: string[]): string[] {
  const script = `eval "$(vault completion bash)"; COMP_WORDS=(${words.map((x) => `'${x}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _vault_complete; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync("bash", ["-c", script], { cwd: w.dir, encoding: "utf8", env: { ...w.env, PATH: `${binDir}:${process.env.PATH}` } });
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean);
}

/**
 * The zsh script, loaded in a real zsh, asked the way bashcompinit asks a bash completion
 * function: `ksharrays` on (0-based arrays), COMP_WORDS and COMP_CWORD set; `-f` skips any
 * zshrc, so the script must load compinit itself when the shell has not. zsh ties
 * `$path` to `$PATH`, so a function that declares `local path` loses every command.
 */
function completeZsh(words: string[]): string[] {
  const script = `eval "$(vault completion zsh)"; setopt ksharrays; COMP_WORDS=(${words.map((x) => `'${x}'`).join(" ")}); COMP_CWORD=${words.length - 1}; _vault_complete; print -l -- "\${COMPREPLY[@]}"`;
  const r = spawnSync("zsh", ["-f", "-c", script], { cwd: w.dir, encoding: "utf8", env: { ...w.env, PATH: `${binDir}:${process.env.PATH}` } });
  expect(r.stderr).toBe("");
  // bashcompinit's compgen returns every candidate; zsh's compadd then keeps those that start with the word.
  const word = words.at(-1) as string;
  return r.stdout.split("\n").filter((c) => c !== "" && c.startsWith(word));
}

/** fish's own completion engine (`complete -C`) on a command line, with the fish script sourced. */
function completeFish(line: string): string[] {
  const r = spawnSync("fish", ["--no-config", "-c", `vault completion fish | source; complete -C '${line}'`], { cwd: w.dir, encoding: "utf8", env: { ...w.env, PATH: `${binDir}:${process.env.PATH}` } });
  expect(r.stderr).toBe("");
  return r.stdout.split("\n").filter(Boolean).map((l) => l.split("\t")[0] as string);
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

  it("completes commands, flags, secret and environment names in a real zsh", () => {
    expect(completeZsh(["vault", "ro"])).toEqual(["rotate"]);
    expect(completeZsh(["vault", "run", "--ov"])).toEqual(["--override"]);
    expect(completeZsh(["vault", "get", "API"])).toEqual(["API_KEY", "API_URL"]);
    expect(completeZsh(["vault", "ls", "--env", "st"])).toEqual(["staging"]);
  });

  it("completes commands, flags, secret and environment names in a real fish", () => {
    expect(completeFish("vault rot")).toEqual(["rotate"]);
    expect(completeFish("vault run --ov")).toEqual(["--override"]);
    expect(completeFish("vault get API").sort()).toEqual(["API_KEY", "API_URL"]);
    expect(completeFish("vault ls --env st")).toEqual(["staging"]);
  });

  it("prints zsh and fish scripts, and refuses other shells", () => {
    expect(w.vault(["completion", "zsh"]).stdout).toContain("bashcompinit");
    expect(w.vault(["completion", "fish"]).stdout).toContain("complete -c vault -n __fish_use_subcommand");
    expect(w.vault(["completion", "tcsh"]).code).toBe(2);
  });
});
