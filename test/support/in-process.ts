import { main } from "../../src/cli/main.js";

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI's `main(argv)` inside the test process, with its stdio, environment and
 * working folder injected for the call and restored after it: the exit-code and message
 * matrix costs no process per case. Only for commands that neither read stdin nor start a
 * child (those keep their end-to-end tests with a real process).
 */
export async function vaultInProcess(args: string[], options: { env: NodeJS.ProcessEnv; cwd: string }): Promise<InProcessResult> {
  const saved = { env: process.env, cwd: process.cwd(), out: process.stdout.write, err: process.stderr.write, exitCode: process.exitCode };
  let stdout = "";
  let stderr = "";
  const capture = (append: (text: string) => void) =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      append(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      const done = rest.find((r) => typeof r === "function") as (() => void) | undefined;
      done?.();
      return true;
    }) as typeof process.stdout.write;
  process.env = { ...options.env };
  process.chdir(options.cwd);
  process.stdout.write = capture((t) => (stdout += t));
  process.stderr.write = capture((t) => (stderr += t));
  process.exitCode = undefined;
  try {
    await main([process.execPath, "vault", ...args]);
    return { code: Number(process.exitCode ?? 0), stdout, stderr };
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.env = saved.env;
    process.chdir(saved.cwd);
    process.exitCode = saved.exitCode;
  }
}
