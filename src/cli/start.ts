import { hotCommand } from "./hot-path.js";
import { main } from "./main.js";

/** The full CLI's bundle, beside this one in dist/bin: a variable, so neither tsc nor esbuild looks for it in src/. */
const FULL_CLI = "./cli.cjs";

/**
 * What bin/vault.js requires. `vault run`, `vault get` and git's textconv start on every
 * run of the user's program or every file git diffs, and `vault set` in scripts' loops, so
 * their usual shapes (./hot-path.ts) run from a small bundle of their own, dist/bin/start.cjs, which leaves out commander and
 * the other commands. Everything else goes to the full CLI, dist/bin/cli.cjs, required
 * then; the two never share an object, so each keeps its own error classes.
 */
export async function start(argv: string[]): Promise<void> {
  if (hotCommand(argv.slice(2))) return main(argv);
  const { createRequire } = await import("node:module");
  const full = createRequire(import.meta.url)(FULL_CLI) as { main(argv: string[]): Promise<void> };
  return full.main(argv);
}
