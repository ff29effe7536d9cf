import { spawn } from "node:child_process";
import { BIN } from "./cli.js";

export interface Step {
  /** Wait until the terminal shows this... */
  expect: string;
  /** ...then type this (\r is Enter, \x1b[B is the down arrow). */
  send: string;
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Runs `vault` on a real pseudo-terminal (util-linux `script`), answering its prompts
 * as a person would: each answer is typed only once its question is on the screen.
 */
export function onTerminal(args: string[], cwd: string, env: NodeJS.ProcessEnv, steps: Step[]): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  const child = spawn("script", ["-qec", command, "/dev/null"], { cwd, env, stdio: ["pipe", "pipe", "pipe"] });
  let screen = "";
  let from = 0;
  const pending = [...steps];
  const advance = () => {
    const next = pending[0];
    if (!next) return;
    const at = screen.indexOf(next.expect, from);
    if (at < 0) return;
    from = at + next.expect.length;
    pending.shift();
    // A short pause lets the prompt finish drawing before the keys arrive.
    setTimeout(() => {
      child.stdin.write(next.send);
      advance();
    }, 100);
  };
  child.stdout.on("data", (d: Buffer) => {
    screen += d.toString();
    advance();
  });
  child.stderr.on("data", (d: Buffer) => (screen += d.toString()));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}
