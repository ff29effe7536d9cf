import { randomBytes } from "node:crypto";
import { VaultError } from "../errors.js";

/*
 * What GitHub Actions reads, as its docs ("Workflow commands for GitHub Actions": Masking a
 * value in a log; Environment files: Setting an environment variable, Multiline strings)
 * and the runner (actions/runner, FileCommandManager.cs and ActionCommandManager.cs) define it:
 *
 * - `$GITHUB_ENV` is a file the runner reads after the step: `NAME<<DELIMITER`, then the
 *   value, then a line that is exactly DELIMITER. The value is the text in between, less
 *   the newline before the delimiter line; the first line equal to the delimiter ends it,
 *   so the delimiter must not be a line of the value (here: not occur in it at all). On a
 *   Windows runner a CR before that newline would be taken for part of a CRLF, so a value
 *   ending in CR is refused.
 * - `::add-mask::VALUE` on stdout makes the runner replace VALUE with *** in every later log
 *   line. Logs are masked line by line, so a multi-line value is masked one line at a time.
 *   The runner unescapes a command's data (%25, %0D, %0A), so `%` is written `%25`; it
 *   ignores (with a warning) a mask that is empty or only whitespace, so those are not sent.
 */

/** The `::add-mask::` lines for every value, one per line of each. */
export function maskCommands(values: string[]): string {
  const lines = new Set<string>();
  for (const value of values) {
    for (const line of value.split(/\r\n|\r|\n/)) if (line.trim() !== "") lines.add(line);
  }
  return [...lines].map((line) => `::add-mask::${line.replace(/%/g, "%25")}\n`).join("");
}

/** `NAME<<DELIMITER\nvalue\nDELIMITER\n` for each secret, each with a random delimiter its value does not contain. */
export function githubEnvText(secrets: Record<string, string>, random: () => string = () => randomBytes(16).toString("hex")): string {
  return Object.entries(secrets)
    .map(([name, value]) => {
      if (name.toUpperCase() === "NODE_OPTIONS") {
        throw new VaultError("usage", "NODE_OPTIONS cannot be set through $GITHUB_ENV: the runner refuses it and fails the step", "set it in the step's own env, or leave it out of this environment");
      }
      if (value.endsWith("\r")) {
        throw new VaultError("usage", `${name} ends in a carriage return, which a Windows runner would drop`, "remove it with `vault set`, or export it with --format json");
      }
      let delimiter: string;
      do delimiter = `SEALENV_${random()}`;
      while (value.includes(delimiter));
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join("");
}
