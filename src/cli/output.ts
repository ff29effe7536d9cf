import { VaultError } from "../errors.js";

/**
 * All terminal talk. stdout carries only what the user asked for (a value, a list, an
 * export); everything else, notes and errors, goes to stderr so `$(vault get X)` and
 * pipes stay clean.
 */
export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

/**
 * Writes what the user asked for and resolves once stdout has taken it; a stdout that
 * cannot take it (a full disk, a closed pipe) is an io error, one line, not a stack.
 */
export function printAll(text: string, failure = "cannot write to stdout"): Promise<void> {
  return new Promise((resolve, reject) => {
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
  process.stderr.write(`vault: ${message}\n`);
}

export function printError(message: string, hint?: string): void {
  process.stderr.write(`vault: error: ${message}\n`);
  if (hint) process.stderr.write(`vault: hint: ${hint}\n`);
}
