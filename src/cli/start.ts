import { hotCommand } from "./hot-path.js";
import { main } from "./main.js";

/** The full CLI's bundle, beside this one in dist/bin: a variable, so neither tsc nor esbuild looks for it in src/. */
const FULL_CLI = "./cli.js";

/**
 * What bin/vault.js requires. `vault run`, `vault get` and git's textconv start on every
 * run of the user's program or every file git diffs, so their usual shapes (./hot-path.ts)
 * run from one CommonJS file, dist/bin/start.cjs: Node's CommonJS loader reads it at once,
 * where its ESM loader reads the dozen chunks of the full CLI one by one (30-40 ms of a
 * 150 ms start). Everything else goes to the full CLI, dist/bin/cli.js (ESM, each command
 * loaded when it runs); the two never share an object, so each keeps its own error classes.
 */
export async function start(argv: string[]): Promise<void> {
  if (hotCommand(argv.slice(2))) return main(argv);
  const full = (await import(FULL_CLI)) as { main(argv: string[]): Promise<void> };
  return full.main(argv);
}
