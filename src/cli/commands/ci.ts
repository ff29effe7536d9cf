import { closeSync, fstatSync, openSync, writeSync } from "node:fs";
import { readAllSecrets } from "../../vault.js";
import { VaultError } from "../../errors.js";
import type { OptionsOf } from "../grammar.js";
import { githubEnvText, maskCommands } from "../github-env.js";
import { audited } from "../audited.js";
import { printAll } from "../output.js";
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
  requireRunnerStdout();
  const u = await openUnlocked(opts);
  const secrets = readAllSecrets(u.v.doc, u.envName, u.keys, process.env);
  const text = githubEnvText(secrets);
  await audited("ci github", u.v, u.envName, { all: Object.keys(secrets) });
  // Opened before the masks go out, so a file that cannot be written fails with nothing printed.
  const fd = openAppend(target);
  try {
    await printAll(maskCommands(Object.values(secrets)), "cannot write the masks to stdout: nothing was written to $GITHUB_ENV");
    try {
      writeSync(fd, text);
    } catch (err) {
      throw new VaultError("io", `cannot append to $GITHUB_ENV (${target}): ${(err as NodeJS.ErrnoException).code ?? String(err)}`, "check the runner's disk; the masks were sent, no secret reached the file's end intact");
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The masks are the values, written out for the runner to hide: they must reach the runner
 * (its pipe) and nothing else. A terminal would show them, a file would keep them, and
 * /dev/null or a closed stdout would leave every later log line unmasked.
 */
function requireRunnerStdout(): void {
  let runner: boolean;
  try {
    const st = fstatSync(1);
    runner = st.isFIFO() || st.isSocket();
  } catch {
    runner = false;
  }
  if (!runner) {
    throw new VaultError("usage", "`vault ci github` writes every value as a mask for the runner, so its stdout must be the runner's pipe, not a terminal, a file or /dev/null", "run it as a step of its own (`run: npx vault ci github`), without redirecting its output");
  }
}

function openAppend(file: string): number {
  try {
    return openSync(file, "a", 0o600);
  } catch (err) {
    throw new VaultError("io", `cannot append to $GITHUB_ENV (${file}): ${(err as NodeJS.ErrnoException).code ?? String(err)}`, "is this step running on a GitHub Actions runner?");
  }
}
