import { spawn as spawnPosix, type ChildProcess, type SpawnOptions } from "node:child_process";
import { VaultError } from "../errors.js";

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

const FORWARDED: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/**
 * Runs a command the way a shell would (on Windows, through cross-spawn, for .cmd shims
 * such as npm), with the terminal and stdio inherited and the usual signals passed on.
 * Resolves with how the child ended; the caller turns that into our own exit.
 */
export async function runCommand(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ChildExit> {
  const spawn = await spawner();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", env });
    const forward = (signal: NodeJS.Signals) => {
      // Forwarded even though a terminal's Ctrl-C also reaches the child directly: a
      // `kill` aimed at the wrapper alone must reach it too.
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
      } else if (err.code === "EACCES") {
        reject(new VaultError("command_not_executable", `cannot execute ${command}: permission denied`, `make it executable (chmod +x ${command})`));
      } else {
        reject(new VaultError("command_not_executable", `cannot start ${command}: ${err.message}`, "check the command"));
      }
    });
    child.on("exit", (code, signal) => {
      done();
      resolve(signal ? { signal } : { code: code ?? 0 });
    });
  });
}
