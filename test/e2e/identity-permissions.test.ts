import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import type { Workspace } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";

const fx = useFixture();

/** A copy of the fixture vault whose development environment has this HOME's key as a member. */
function memberVault(recipient: string): Workspace {
  const w = fx.fresh();
  const r = w.vault(["member", "add", "me", recipient]);
  if (r.code !== 0) throw new Error(r.stderr);
  w.vault(["set", "TOKEN", "opened by my key"]);
  return w;
}

/** Runs with no VAULT_KEY: only an identity can open the environment. */
const withoutKey = { env: { VAULT_KEY: undefined } };

/** An ed25519 key made by ssh-keygen at ~/.ssh/id_ed25519, with `passphrase` ("" for none). */
function sshKey(w: Workspace, passphrase: string): string {
  const ssh = path.join(w.home, ".ssh");
  mkdirSync(ssh, { recursive: true });
  const key = path.join(ssh, "id_ed25519");
  expect(spawnSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-f", key]).status).toBe(0);
  return key;
}

function expectRefused(r: { code: number | null; stderr: string }, file: string, mode: string): void {
  expect(r.code).toBe(EXIT.IO);
  expect(r.stderr).toContain(`vault: error: permissions ${mode} for ${file} are too open`);
  expect(r.stderr).toContain(`vault: hint: chmod 600 ${file}`);
}

describe.skipIf(process.platform === "win32")("private key files open to other users", () => {
  it("refuses the identity file when group or others may read or write it, like ssh", () => {
    const w = fx.fresh();
    const created = w.vault(["identity", "new"]);
    expect(created.code).toBe(0);
    const file = path.join(w.home, ".config", "sealenv", "identity");
    const project = memberVault(created.stdout.trim());
    const get = () => w.vault(["get", "TOKEN"], { cwd: project.dir, ...withoutKey });
    expect(get().stdout).toBe("opened by my key\n");

    for (const mode of [0o644, 0o640, 0o620, 0o604, 0o602]) {
      chmodSync(file, mode);
      expectRefused(get(), file, `0${mode.toString(8)}`);
      expectRefused(w.vault(["identity", "show"]), file, `0${mode.toString(8)}`);
    }
    chmodSync(file, 0o400);
    expect(get().stdout).toBe("opened by my key\n");
  });

  it("refuses an unencrypted ed25519 ssh key that others may read, from ~/.ssh or VAULT_SSH_KEY", () => {
    const w = fx.fresh();
    const key = sshKey(w, "");
    const project = memberVault(readFileSync(`${key}.pub`, "utf8"));
    const get = (env: Record<string, string> = {}) => w.vault(["get", "TOKEN"], { cwd: project.dir, env: { VAULT_KEY: undefined, ...env } });
    expect(get().stdout).toBe("opened by my key\n");

    chmodSync(key, 0o644);
    expectRefused(get(), key, "0644");
    const elsewhere = path.join(w.home, "deploy_key");
    expect(spawnSync("cp", ["-p", key, elsewhere]).status).toBe(0);
    expectRefused(get({ VAULT_SSH_KEY: elsewhere }), elsewhere, "0644");
    chmodSync(key, 0o600);
    expect(get().stdout).toBe("opened by my key\n");
  });

  it("leaves alone an ssh key it would not use, whatever its permissions", () => {
    const w = fx.fresh();
    const key = sshKey(w, "a passphrase here");
    chmodSync(key, 0o644);
    const r = w.vault(["identity", "show"]);
    expect(r.code).toBe(EXIT.NOT_FOUND);
    expect(r.stderr).toContain("no sealenv identity on this machine");
  });
});
