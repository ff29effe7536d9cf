import { isatty } from "node:tty";
import type { Session } from "../vault.js";
import type { CommonOptions } from "./grammar.js";
import { askHidden } from "./prompts.js";

/** Options every command that opens the vault takes, as grammar.ts declares them. */
export type { CommonOptions };

/**
 * Is stdin a terminal? Asked of the file descriptor: touching process.stdin would build
 * a stream and load modules that `vault run` and `vault get` never need.
 */
export function stdinIsTerminal(): boolean {
  return isatty(0);
}

/** We ask questions only on a terminal, and never with --yes. */
export function interactive(opts: CommonOptions): boolean {
  return stdinIsTerminal() && !opts.yes;
}

export function sessionOf(opts: CommonOptions): Session {
  const s: Session = { cwd: process.cwd(), environ: process.env };
  if (opts.env !== undefined) s.envName = opts.env;
  if (opts.vault !== undefined) s.vaultPath = opts.vault;
  if (interactive(opts)) s.askPassphrase = askHidden;
  if (opts.allowRollback || /^(1|true|yes)$/i.test(process.env.VAULT_ALLOW_ROLLBACK ?? "")) s.allowRollback = true;
  return s;
}

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** `echo value | vault set NAME`: the newline echo adds is not part of the value. */
export function trimOneNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}
