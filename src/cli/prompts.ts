import { printToStderr } from "./output.js";
import { VaultError } from "../errors.js";

/**
 * Questions on the terminal. @inquirer/prompts loads only when a question is asked, and
 * prompts draw on stderr so stdout stays the command's output.
 */
const context = () => ({ output: process.stderr, clearPromptOnDone: true });

export async function askHidden(message: string): Promise<string> {
  const { password } = await import("@inquirer/prompts");
  return cancellable(() => password({ message, mask: false }, context()));
}

export async function askNewPassphrase(check: (p: string) => void): Promise<string> {
  for (;;) {
    const first = await askHidden("New passphrase (12+ characters):");
    try {
      check(first);
    } catch (err) {
      printToStderr(`vault: ${(err as Error).message}\n`);
      continue;
    }
    if ((await askHidden("Repeat it:")) === first) return first;
    printToStderr("vault: the two did not match, try again\n");
  }
}

export async function askChoice<T extends string>(message: string, choices: { name: string; value: T; description?: string }[]): Promise<T> {
  const { select } = await import("@inquirer/prompts");
  return cancellable(() => select({ message, choices }, context()));
}

export async function askConfirm(message: string, fallback = false): Promise<boolean> {
  const { confirm } = await import("@inquirer/prompts");
  return cancellable(() => confirm({ message, default: fallback }, context()));
}

async function cancellable<T>(ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (err) {
    if (err instanceof Error && err.name === "ExitPromptError") throw new VaultError("cancelled", "cancelled");
    throw err;
  }
}
