import { constants } from "node:os";
import { isVaultError } from "../errors.js";
import type { ChildExit } from "../run/index.js";
import { EXIT, exitCodeFor } from "./exit-codes.js";
import { hotCommand } from "./hot-path.js";
import { printError, stdoutFailure } from "./output.js";

/** Signals Node leaves at their default of ending the process, so raising one on ourselves ends us the same way. */
const REDELIVERED = new Set<NodeJS.Signals>(["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR2", "SIGALRM", "SIGKILL", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF"]);

/**
 * The one place that turns how a command ended into the process's exit code. `vault run`,
 * `vault get`, `vault set` and git's textconv in their usual shapes skip commander (./hot-path.ts); everything else,
 * help and usage errors included, goes through the full program (./program.ts).
 */
export async function main(argv: string[]): Promise<void> {
  let child: ChildExit | undefined;
  try {
    // -V, as earlier versions spelled it, is still the version.
    if (argv.length === 3 && argv[2] === "-V") argv = [...argv.slice(0, 2), "--version"];
    const hot = hotCommand(argv.slice(2));
    if (hot?.name === "run") child = await (await import("./commands/run.js")).runCommand(hot.command, hot.options);
    else if (hot?.name === "get") await (await import("./commands/get.js")).getCommand(hot.secret, hot.options);
    else if (hot?.name === "set") await (await import("./commands/set.js")).setCommand(hot.secret, hot.value, hot.options);
    else if (hot?.name === "git textconv") await (await import("./commands/git.js")).gitTextconvCommand(hot.file, hot.options);
    else {
      const { buildProgram } = await import("./program.js");
      await buildProgram((exit) => (child = exit)).parseAsync(argv);
    }
  } catch (err) {
    const code = await exitCodeOf(err);
    // commander's own way out of help and --version, which print.
    process.exitCode = code === EXIT.OK ? await afterOutput() : code;
    return;
  }
  if (child?.signal) {
    // As a shell reports it: die of the same signal where that is what the signal does
    // (our listeners are gone by now), else exit 128+n. SIGUSR1 would open Node's
    // inspector, and a signal whose default is to be ignored would leave us running.
    const code = 128 + (constants.signals[child.signal] ?? 0);
    if (REDELIVERED.has(child.signal)) process.kill(process.pid, child.signal);
    process.exit(code);
  }
  if (child) {
    // The child is done and we have nothing left to say: leave now rather than wait
    // for V8 to finish background work at teardown, which would add to every run.
    process.exit(child.code);
  }
  process.exitCode = await afterOutput();
}

/** OK, or io once stdout has failed: a failed write is reported a turn of the event loop after it was made. */
async function afterOutput(): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  const failed = stdoutFailure();
  return failed ? exitCodeOf(failed) : EXIT.OK;
}

async function exitCodeOf(err: unknown): Promise<number> {
  if (isVaultError(err)) {
    printError(err.message, err.hint);
    return exitCodeFor(err.code);
  }
  const { CommanderError } = await import("commander");
  if (err instanceof CommanderError) {
    // commander has printed its own message already.
    return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
  }
  const message = err instanceof Error ? err.message : String(err);
  printError(`unexpected failure: ${message}`, "this is a bug in sealenv; please report it with the command you ran (run with SEALENV_DEBUG=1 for details)");
  if (process.env.SEALENV_DEBUG) console.error(err);
  return EXIT.BUG;
}
