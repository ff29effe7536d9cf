import { spawnSync } from "node:child_process";
import { closeSync, openSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { EXIT } from "../../src/cli/exit-codes.js";
import { BIN, vaultAsync } from "../support/cli.js";
import { useFixture } from "../support/fixture.js";
import { onTerminal } from "../support/terminal.js";

const fx = useFixture();

const node = (code: string) => [process.execPath, "-e", code];

describe("vault run", () => {
  it("gives the child the secrets as environment variables", () => {
    const w = fx.fresh();
    w.vault(["set", "API_KEY"], { input: "multi\nline $value" });
    const r = w.vault(["run", "--", ...node("process.stdout.write(process.env.API_KEY)")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("multi\nline $value");
  });

  it("prints nothing on stdout that the child did not print", () => {
    const w = fx.fresh();
    w.vault(["set", "A", "1"]);
    const r = w.vault(["run", "--", "true"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("");
  });

  it("lets existing variables win, unless --override", () => {
    const w = fx.fresh();
    w.vault(["set", "PORT", "from-vault"]);
    const show = node("process.stdout.write(process.env.PORT)");
    expect(w.vault(["run", "--", ...show], { env: { PORT: "from-shell" } }).stdout).toBe("from-shell");
    expect(w.vault(["run", "--override", "--", ...show], { env: { PORT: "from-shell" } }).stdout).toBe("from-vault");
  });

  it("passes the child's arguments through untouched, options included", () => {
    const w = fx.fresh();
    const r = w.vault(["run", "--", "sh", "-c", 'printf "%s|" "$@"', "sh", "--env", "x", "-y", "--", "a b"]);
    expect(r.stdout).toBe("--env|x|-y|--|a b|");
  });

  it("runs a command given without --", () => {
    const w = fx.fresh();
    w.vault(["set", "WHO", "me"]);
    expect(w.vault(["run", "sh", "-c", "printf %s \"$WHO\""]).stdout).toBe("me");
  });

  it("exits with the child's exit code", () => {
    const w = fx.fresh();
    expect(w.vault(["run", "--", "sh", "-c", "exit 42"]).code).toBe(42);
  });

  it("dies of the child's signal", () => {
    const w = fx.fresh();
    const r = w.vault(["run", "--", "sh", "-c", "kill -KILL $$"]);
    expect(r.code).toBeNull();
    expect(r.signal).toBe("SIGKILL");
  });

  it("reports a command that does not exist with exit code 127", () => {
    const w = fx.fresh();
    const r = w.vault(["run", "--", "no-such-command-here"]);
    expect(r.code).toBe(EXIT.COMMAND_NOT_FOUND);
    expect(r.code).toBe(127);
    expect(r.stderr).toContain("command not found: no-such-command-here");
  });

  it("says a folder given as the command is a folder (exit 126)", () => {
    const w = fx.fresh();
    const r = w.vault(["run", "--", w.home]);
    expect(r.code).toBe(EXIT.COMMAND_NOT_EXECUTABLE);
    expect(r.stderr).toContain("it is a folder, not a program");
  });

  it("does not start the command when the key is missing", () => {
    const w = fx.fresh();
    const marker = path.join(w.dir, "ran");
    const r = w.vault(["run", "--", "touch", marker], { env: { VAULT_KEY: undefined } });
    expect(r.code).toBe(EXIT.NO_KEY);
    expect(() => readFileSync(marker)).toThrow();
  });

  it.each(["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"] as const)("forwards %s to the child and exits as the child did", async (signal) => {
    const w = fx.fresh();
    const log = path.join(w.dir, "signal.log");
    const script = `
      const fs = require("fs");
      process.on(${JSON.stringify(signal)}, (s) => { fs.writeFileSync(${JSON.stringify(log)}, s); process.exit(7); });
      fs.writeFileSync(${JSON.stringify(log)}, "ready");
      setInterval(() => {}, 1000);`;
    const env = { PATH: process.env.PATH, HOME: w.home, VAULT_KEY: fx.key };
    const { child, done } = vaultAsync(["run", "--", process.execPath, "-e", script], w.dir, env);
    for (let i = 0; i < 200; i++) {
      try {
        if (readFileSync(log, "utf8") === "ready") break;
      } catch {
        // not started yet
      }
      await sleep(25);
    }
    child.kill(signal);
    const r = await done;
    expect(readFileSync(log, "utf8")).toBe(signal);
    expect(r.code).toBe(7);
    // A SIGUSR1 for the child must not open Node's inspector in the wrapper.
    expect(r.stderr).not.toContain("Debugger listening");
  });

  it("exits 128+n when the child dies of a signal it would be unsafe to raise on itself (SIGUSR1), opening no inspector", () => {
    const w = fx.fresh();
    const r = w.vault(["run", "--", "sh", "-c", "kill -USR1 $$"]);
    expect(r.signal).toBeNull();
    expect(r.code).toBe(128 + 10);
    expect(r.stderr).not.toContain("Debugger listening");
  });

  it("dies of SIGTERM when the child did, as a shell reports it", () => {
    const w = fx.fresh();
    const r = w.vault(["run", "--", "sh", "-c", "kill -TERM $$"]);
    expect(r.code).toBeNull();
    expect(r.signal).toBe("SIGTERM");
  });

  it("delivers one Ctrl-C on a terminal to the child exactly once", async () => {
    const w = fx.fresh();
    // The child counts SIGINTs for half a second after the first, then reports and exits.
    const script = `let n = 0; process.on("SIGINT", () => { if (++n === 1) setTimeout(() => { console.log("sigint count " + n); process.exit(0); }, 500); }); console.log("child ready"); setInterval(() => {}, 1000);`;
    const r = await onTerminal(["run", "--", process.execPath, "-e", script], w.dir, w.env, [{ expect: "child ready", send: "\x03" }]);
    // (The exit code is the harness's `sh -c` under `script`, which the terminal's Ctrl-C reaches too.)
    expect(r.screen).toContain("sigint count 1");
  });
});

describe("vault run and secret names that are Object.prototype members", () => {
  // src/run merges them as plain keys (test/unit/run-env.test.ts); end to end they also go
  // through the vault layers' null-prototype records.
  it("gives the child secrets named constructor and __proto__", () => {
    const w = fx.fresh();
    expect(w.vault(["import", "-"], { input: "constructor=ctor-value\n__proto__=proto-value\n" }).code).toBe(0);
    const r = w.vault(["run", "--", ...node("process.stdout.write(JSON.stringify([process.env.constructor, Object.entries(process.env).find(([k]) => k === '__proto__')?.[1]]))")]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(["ctor-value", "proto-value"]);
  });
});

describe("vault run with npm", () => {
  it("works with `npm start`", () => {
    const w = fx.fresh();
    w.vault(["set", "GREETING", "hello from the vault"]);
    writeFileSync(
      path.join(w.dir, "package.json"),
      JSON.stringify({ name: "app", version: "1.0.0", scripts: { start: "node -e \"console.log('app says ' + process.env.GREETING)\"" } }),
    );
    const r = w.vault(["run", "--", "npm", "start", "--silent"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("app says hello from the vault\n");
  });
});

describe("vault run --mask", () => {
  // The value goes out in two writes 100 ms apart, so the wrapper sees it in two chunks.
  const splitWrites = [
    'const t = process.env.TOKEN;',
    'process.stdout.write("token: " + t.slice(0, 5));',
    'setTimeout(() => { process.stdout.write(t.slice(5) + " end\\n"); console.error("err " + t); }, 100);',
  ].join(" ");

  it("replaces secret values in stdout and stderr, also when a value is split across writes", () => {
    const w = fx.fresh();
    w.vault(["set", "TOKEN", "very-secret-token-value"]);
    const r = w.vault(["run", "--mask", "--", process.execPath, "-e", splitWrites]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("token: [masked TOKEN] end\n");
    expect(r.stderr).toBe("err [masked TOKEN]\n");
  });

  it("is on with VAULT_MASK=1 and off by default", () => {
    const w = fx.fresh();
    w.vault(["set", "TOKEN", "very-secret-token-value"]);
    const print = ["sh", "-c", 'printf %s "$TOKEN"'];
    expect(w.vault(["run", "--", ...print], { env: { VAULT_MASK: "1" } }).stdout).toBe("[masked TOKEN]");
    expect(w.vault(["run", "--", ...print]).stdout).toBe("very-secret-token-value");
  });

  it("still passes the exit code through", () => {
    const w = fx.fresh();
    expect(w.vault(["run", "--mask", "--", "sh", "-c", "exit 3"]).code).toBe(3);
  });

  it("where stdout cannot take the masked output, stops the program and says so in one line (io)", async () => {
    const w = fx.fresh();
    const pidFile = path.join(w.dir, "child.pid");
    const full = openSync("/dev/full", "w");
    let r;
    try {
      // One line out, then a long quiet wait: left running, it would outlive vault unseen.
      r = spawnSync(process.execPath, [BIN, "run", "--mask", "--", "sh", "-c", `echo $$ > '${pidFile}'; echo hello; exec sleep 1000`], { cwd: w.dir, env: w.env, stdio: ["ignore", full, "pipe"], encoding: "utf8" });
    } finally {
      closeSync(full);
    }
    expect(r.status).toBe(EXIT.IO);
    expect(r.stderr).toBe("vault: error: cannot write to stdout (ENOSPC)\nvault: hint: check where stdout and stderr go (a full disk, a closed pipe)\n");
    const pid = Number(readFileSync(pidFile, "utf8"));
    const alive = () => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // Signalled before vault exited; gone once the kernel has reaped it.
    for (let waited = 0; alive() && waited < 10_000; waited += 50) await sleep(50);
    expect(alive()).toBe(false);
  });
});

describe("vault run and loader variables", () => {
  it.each(["NODE_OPTIONS", "LD_PRELOAD", "DYLD_INSERT_LIBRARIES"])("warns on stderr when the vault sets %s", (name) => {
    const w = fx.fresh();
    w.vault(["set", name], { input: "--require ./evil.js" });
    const r = w.vault(["run", "--", "true"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`warning: the vault sets ${name}, which make true load and run other code`);
    // Our own lines never quote the value (the dynamic loader may complain about it itself).
    expect(r.stderr.split("\n").filter((l) => l.startsWith("vault:")).join("\n")).not.toContain("./evil.js");
  });

  it("says nothing for ordinary variables", () => {
    const w = fx.fresh();
    w.vault(["set", "NODE_ENV", "production"]);
    expect(w.vault(["run", "--", "true"]).stderr).toBe("");
  });
});
