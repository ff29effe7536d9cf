import path from "node:path";
import { shellQuote } from "./export-formats.js";

/**
 * How git (drivers, hooks) should start this same sealenv: absolute node and script
 * paths, so it works whether sealenv was installed globally, locally or run from a
 * checkout. Re-running `vault git setup` after moving sealenv updates it.
 */
export function selfCommand(): string {
  const script = path.resolve(process.argv[1] ?? "vault");
  return `${shellQuote(process.execPath)} ${shellQuote(script)}`;
}
