import { VaultError } from "../errors.js";

/**
 * All terminal talk. stdout carries only what the user asked for (a value, a list, an
 * export); everything else, notes and errors, goes to stderr so `$(vault get X)` and
 * pipes stay clean.
 */
export function print(text: string): void {
  printExactly(text.endsWith("\n") ? text : `${text}\n`);
}

/** `text` on stdout as it is, not a byte added. */
export function printExactly(text: string): void {
  watchStdout();
  process.stdout.write(text);
}

let stdoutError: NodeJS.ErrnoException | undefined;
let watching = false;

/**
 * A stdout that fails (a closed pipe, `vault get X | true`, a full disk) emits its error
 * after the write returned: kept here for main.ts, which turns it into one line and the io
 * exit code, rather than an uncaught event with a stack trace.
 */
function watchStdout(): void {
  if (watching) return;
  watching = true;
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    stdoutError ??= err;
  });
}

/** How stdout failed, if it did; for main.ts alone. */
export function stdoutFailure(): VaultError | undefined {
  return stdoutError && new VaultError("io", `cannot write to stdout (${stdoutError.code ?? stdoutError.message})`, "check where stdout goes (a full disk, a closed pipe)");
}

/**
 * Writes what the user asked for and resolves once stdout has taken it; a stdout that
 * cannot take it (a full disk, a closed pipe) is an io error, one line, not a stack.
 */
export function printAll(text: string, failure = "cannot write to stdout"): Promise<void> {
  return new Promise((resolve, reject) => {
    watchStdout();
    const fail = (err: NodeJS.ErrnoException) => reject(new VaultError("io", `${failure} (${err.code ?? err.message})`, "check where stdout goes (a full disk, a closed pipe)"));
    // A stream that fails also emits "error" after the callback: kept, so it is not thrown.
    process.stdout.on("error", fail);
    process.stdout.write(text, (err) => {
      if (err) return fail(err);
      process.stdout.off("error", fail);
      resolve();
    });
  });
}

export function note(message: string): void {
  printToStderr(`vault: ${message}\n`);
}

export function printError(message: string, hint?: string): void {
  printToStderr(`vault: error: ${message}\n${hint ? `vault: hint: ${hint}\n` : ""}`);
}

let stderrWatched = false;

/**
 * Notes and errors. A stderr that cannot take them has nowhere to be reported: the error is
 * let go, so the exit code still says how the command went (a failed note is no failure).
 */
export function printToStderr(text: string): void {
  if (!stderrWatched) {
    stderrWatched = true;
    process.stderr.on("error", () => {});
  }
  process.stderr.write(text);
}
