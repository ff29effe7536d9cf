import { spawn as spawnPosix, type ChildProcess, type SpawnOptions } from "node:child_process";
import { statSync } from "node:fs";
import { isatty } from "node:tty";
import type { Readable, Writable } from "node:stream";
import { VaultError } from "../errors.js";
import { createMasker, type MaskedValue } from "./mask.js";

export type ChildExit = { code: number; signal?: undefined } | { code?: undefined; signal: NodeJS.Signals };

type Spawn = (command: string, args: string[], options: SpawnOptions) => ChildProcess;

/**
 * cross-spawn resolves PATHEXT and .cmd shims on Windows; elsewhere it calls
 * child_process.spawn unchanged, so we load it only where it does something.
 */
async function spawner(): Promise<Spawn> {
  if (process.platform !== "win32") return spawnPosix;
  return (await import("cross-spawn")).default;
}

/**
 * What `vault` passes on to the child. A listener on SIGUSR1 also keeps Node from opening
 * its inspector on 127.0.0.1:9229 when one arrives. The POSIX-only ones are not listened
 * for on Windows, where Node cannot.
 */
const FORWARDED: NodeJS.Signals[] =
  process.platform === "win32" ? ["SIGINT", "SIGTERM", "SIGHUP"] : ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGWINCH"];

/**
 * A terminal sends these to its whole foreground process group, the child included: on a
 * terminal, forwarding them too would deliver Ctrl-C (or Ctrl-\, or a resize) twice.
 */
const FROM_TERMINAL = new Set<NodeJS.Signals>(["SIGINT", "SIGQUIT", "SIGWINCH"]);

/**
 * Runs a command the way a shell would (on Windows, through cross-spawn, for .cmd shims
 * such as npm), with the terminal and stdio inherited and the usual signals passed on.
 * Resolves with how the child ended; the caller turns that into our own exit.
 */
export async function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, mask?: MaskedValue[], onTerminal = isatty(0)): Promise<ChildExit> {
  const spawn = await spawner();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: mask ? ["inherit", "pipe", "pipe"] : "inherit", env });
    // Output only ends when both pipes have drained, which can be after the exit event.
    // Output that cannot be shown masked (a closed pipe, a full disk) stops the program rather
    // than letting it run on unseen and unsignalled, and is our error, one line.
    const cannotShow = (stream: string, err: NodeJS.ErrnoException) => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      child.unref();
      done();
      reject(new VaultError("io", `cannot write to ${stream} (${err.code ?? err.message})`, "check where stdout and stderr go (a full disk, a closed pipe)"));
    };
    const drained = mask
      ? Promise.all([pipeMasked(child.stdout, process.stdout, mask, (err) => cannotShow("stdout", err)), pipeMasked(child.stderr, process.stderr, mask, (err) => cannotShow("stderr", err))])
      : Promise.resolve();
    const forward = (signal: NodeJS.Signals) => {
      // Off a terminal (CI, a supervisor, `kill` of the wrapper) nothing else delivers it.
      if (onTerminal && FROM_TERMINAL.has(signal)) return;
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    for (const signal of FORWARDED) process.on(signal, forward);
    const done = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.on("error", (err: NodeJS.ErrnoException) => {
      done();
      if (err.code === "ENOENT") {
        reject(new VaultError("command_not_found", `command not found: ${command}`, "check the spelling, or that it is installed and on PATH"));
      } else if (err.code === "EACCES" && isFolder(command)) {
        reject(new VaultError("command_not_executable", `cannot execute ${command}: it is a folder, not a program`, "name the program inside it, e.g. `vault run -- ./bin/start`"));
      } else if (err.code === "EACCES") {
        reject(new VaultError("command_not_executable", `cannot execute ${command}: permission denied`, `make it executable (chmod +x ${command})`));
      } else {
        reject(new VaultError("command_not_executable", `cannot start ${command}: ${err.message}`, "check the command"));
      }
    });
    child.on("exit", (code, signal) => {
      done();
      void drained.then(() => resolve(signal ? { signal } : { code: code ?? 0 }));
    });
  });
}

function isFolder(command: string): boolean {
  try {
    return statSync(command).isDirectory();
  } catch {
    return false;
  }
}

function pipeMasked(from: Readable | null, to: Writable, values: MaskedValue[], cannotWrite: (err: NodeJS.ErrnoException) => void): Promise<void> {
  if (!from) return Promise.resolve();
  const masker = createMasker(values);
  return new Promise((resolve) => {
    let failed = false;
    const fail = (err: NodeJS.ErrnoException) => {
      if (failed) return;
      failed = true;
      from.destroy();
      cannotWrite(err);
    };
    to.on("error", fail);
    from.on("data", (chunk: Buffer) => {
      const shown = masker.write(chunk);
      if (shown.length && !failed) to.write(shown);
    });
    from.on("end", () => {
      // Resolve once our side has flushed: the wrapper exits right after the child, and
      // pipes are asynchronous on some platforms.
      if (!failed) to.write(masker.flush(), (err) => (err ? fail(err) : resolve()));
    });
  });
}
