import { closeSync, openSync, writeSync } from "node:fs";
import { readAllSecrets } from "../../vault.js";
import { VaultError } from "../../errors.js";
import type { OptionsOf } from "../grammar.js";
import { githubEnvText, maskCommands } from "../github-env.js";
import { audited } from "../audited.js";
import { openUnlocked } from "../unlock.js";

type CiGithubOptions = OptionsOf<"ci github">;

/**
 * GitHub Actions: every value masked in the job's logs, then the secrets appended to
 * $GITHUB_ENV, so the job's later steps see them as environment variables. The masks go
 * out first and must have been written before any value reaches the file; values reach
 * no argv, and no output but the masks the runner needs.
 */
export async function ciGithubCommand(opts: CiGithubOptions): Promise<void> {
  const target = process.env.GITHUB_ENV;
  if (!target) {
    throw new VaultError("usage", "GITHUB_ENV is not set: `vault ci github` runs inside a GitHub Actions step", "elsewhere, use `vault run -- CMD`, or `vault export`");
  }
  const u = await openUnlocked(opts);
  const secrets = readAllSecrets(u.v.doc, u.envName, u.keys, process.env);
  const text = githubEnvText(secrets);
  await audited("ci github", u.v, u.envName, Object.keys(secrets));
  // Opened before the masks go out, so a file that cannot be written fails with nothing printed.
  const fd = openAppend(target);
  try {
    await writeOut(maskCommands(Object.values(secrets)));
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** Resolves once stdout has taken the text, so nothing is appended to $GITHUB_ENV before the masks are out. */
function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (err: NodeJS.ErrnoException) =>
      reject(new VaultError("io", `cannot write the masks to stdout (${err.code ?? err.message}): nothing was written to $GITHUB_ENV`, "let the step's stdout go to the runner"));
    // A stream that fails also emits "error" after the callback: kept, so it is not thrown.
    process.stdout.on("error", fail);
    process.stdout.write(text, (err) => {
      if (err) return fail(err);
      process.stdout.off("error", fail);
      resolve();
    });
  });
}

function openAppend(file: string): number {
  try {
    return openSync(file, "a", 0o600);
  } catch (err) {
    throw new VaultError("io", `cannot append to $GITHUB_ENV (${file}): ${(err as NodeJS.ErrnoException).code ?? String(err)}`, "is this step running on a GitHub Actions runner?");
  }
}
