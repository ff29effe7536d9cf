/**
 * All terminal talk. stdout carries only what the user asked for (a value, a list, an
 * export); everything else, notes and errors, goes to stderr so `$(vault get X)` and
 * pipes stay clean.
 */
export function print(text: string): void {
  process.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
}

export function note(message: string): void {
  process.stderr.write(`vault: ${message}\n`);
}

export function printError(message: string, hint?: string): void {
  process.stderr.write(`vault: error: ${message}\n`);
  if (hint) process.stderr.write(`vault: hint: ${hint}\n`);
}
