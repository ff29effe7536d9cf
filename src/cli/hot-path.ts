import type { RunOptions } from "./commands/run.js";
import type { CommonOptions } from "./context.js";

/**
 * `vault run` and `vault get` are on every start of the user's program, so their usual
 * shapes are recognised here without loading commander (~15 ms of start-up). Anything
 * this does not recognise exactly (help, an unknown or incomplete option) returns
 * undefined and goes to commander, which owns the full grammar and its error messages.
 */
export type HotCommand =
  | { name: "run"; command: string[]; options: RunOptions }
  | { name: "get"; secret: string; options: CommonOptions };

export function hotCommand(args: string[]): HotCommand | undefined {
  const [name, ...rest] = args;
  if (name === "run") return hotRun(rest);
  if (name === "get") return hotGet(rest);
  return undefined;
}

function hotRun(args: string[]): HotCommand | undefined {
  const options: RunOptions = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--") return args.length > i + 1 ? { name: "run", command: args.slice(i + 1), options } : undefined;
    if (!arg.startsWith("-")) return { name: "run", command: args.slice(i), options };
    if (arg === "--override") options.override = true;
    else if (arg === "--mask") options.mask = true;
    else {
      const used = commonOption(args, i, options);
      if (used === 0) return undefined;
      i += used - 1;
    }
  }
  return undefined;
}

function hotGet(args: string[]): HotCommand | undefined {
  const options: CommonOptions = {};
  let secret: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (!arg.startsWith("-")) {
      if (secret !== undefined) return undefined;
      secret = arg;
      continue;
    }
    const used = commonOption(args, i, options);
    if (used === 0) return undefined;
    i += used - 1;
  }
  return secret === undefined ? undefined : { name: "get", secret, options };
}

/** Reads --env, --vault (as `--opt value` or `--opt=value`), -y/--yes and --allow-rollback; returns how many args it used, 0 if none. */
function commonOption(args: string[], i: number, options: CommonOptions): number {
  const arg = args[i] as string;
  if (arg === "-y" || arg === "--yes") {
    options.yes = true;
    return 1;
  }
  if (arg === "--allow-rollback") {
    options.allowRollback = true;
    return 1;
  }
  const m = /^--(env|vault)(?:=(.*))?$/.exec(arg);
  if (!m) return 0;
  const value = m[2] ?? args[i + 1];
  if (value === undefined || (m[2] === undefined && value.startsWith("-"))) return 0;
  if (m[1] === "env") options.env = value;
  else options.vault = value;
  return m[2] === undefined ? 2 : 1;
}
