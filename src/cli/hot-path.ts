import { attributeName, COMMANDS, optionsOf, type ArgumentsOf, type CommandSpec, type OptionSpec, type OptionsOf } from "./grammar.js";

/**
 * `vault run` and `vault get` are on every start of the user's program, git starts
 * `vault git textconv` once per version it shows, and scripts call `vault set` in loops, so their usual
 * shapes are recognised here without loading commander (~15 ms of start-up), from the
 * grammar table commander is built from. Anything this does not recognise exactly (help,
 * an unknown or incomplete option, a value or argument that looks like an option, grouped
 * short flags) returns undefined and goes to commander, which owns the full grammar and
 * its error messages. test/unit/hot-path.test.ts checks the two read argv alike.
 */
export type HotCommand =
  | { name: "run"; command: string[]; options: OptionsOf<"run"> }
  | { name: "get"; secret: string; options: OptionsOf<"get"> }
  | { name: "set"; secret: string; value: string | undefined; options: OptionsOf<"set"> }
  | { name: "git textconv"; file: string; options: OptionsOf<"git textconv"> };

export function hotCommand(args: string[]): HotCommand | undefined {
  const [name, ...words] = args;
  if (name === "run") {
    const parsed = parse(name, words);
    return parsed && { name, command: parsed.args[0], options: parsed.options };
  }
  if (name === "get") {
    const parsed = parse(name, words);
    return parsed && { name, secret: parsed.args[0], options: parsed.options };
  }
  if (name === "set") {
    const parsed = parse(name, words);
    return parsed && { name, secret: parsed.args[0], value: parsed.args[1], options: parsed.options };
  }
  if (name === "git" && words[0] === "textconv") {
    const parsed = parse("git textconv", words.slice(1));
    return parsed && { name: "git textconv", file: parsed.args[0], options: parsed.options };
  }
  return undefined;
}

type HotPath = "run" | "get" | "set" | "git textconv";

/** The words after the command name, read as commander reads them, or undefined where unsure. */
function parse<P extends HotPath>(path: P, words: string[]): { args: ArgumentsOf<P>; options: OptionsOf<P> } | undefined {
  const spec: CommandSpec = COMMANDS[path];
  const known = optionsOf(path);
  const options: Record<string, string | boolean> = {};
  for (const option of known) if (option.default !== undefined) options[attributeName(option)] = option.default;
  const operands: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === "--") {
      operands.push(...words.slice(i + 1));
      break;
    }
    if (!looksLikeOption(word)) {
      if (spec.passThrough) {
        operands.push(...words.slice(i));
        break;
      }
      operands.push(word);
      continue;
    }
    const named = known.find((o) => word === `--${o.long}` || (o.short !== undefined && word === `-${o.short}`));
    if (named && named.value === undefined) {
      options[attributeName(named)] = true;
      continue;
    }
    let option: OptionSpec | undefined;
    let value: string | undefined;
    if (named) {
      option = named;
      value = words[++i];
      // commander reads `--env --mask` as env "--mask": more likely a slip than meant, so left to it.
      if (value !== undefined && looksLikeOption(value)) return undefined;
    } else {
      [option, value] = withInlineValue(known, word) ?? [];
    }
    if (!option || value === undefined || !allowed(option, value)) return undefined;
    options[attributeName(option)] = value;
  }
  const args = argumentsFrom(spec, operands);
  // The table declares these options and arguments, and the test holds commander to the same reading.
  return args && ({ args, options } as unknown as { args: ArgumentsOf<P>; options: OptionsOf<P> });
}

/** commander's test: "-" alone is an argument (stdin, by convention). */
function looksLikeOption(word: string): boolean {
  return word.length > 1 && word.startsWith("-");
}

/** `--env=production`: only an option that takes a value takes one this way, as in commander. */
function withInlineValue(known: readonly OptionSpec[], word: string): [OptionSpec, string] | undefined {
  const at = word.indexOf("=");
  if (!word.startsWith("--") || at < 3) return undefined;
  const option = known.find((o) => o.value !== undefined && word.slice(0, at) === `--${o.long}`);
  return option && [option, word.slice(at + 1)];
}

function allowed(option: OptionSpec, value: string): boolean {
  return option.choices === undefined || option.choices.includes(value);
}

/** Operands to the command's declared arguments; undefined if too few or too many, which commander reports. */
function argumentsFrom(spec: CommandSpec, operands: string[]): (string | string[] | undefined)[] | undefined {
  const args: (string | string[] | undefined)[] = [];
  let rest = operands;
  for (const { usage } of spec.args ?? []) {
    const required = usage.startsWith("<");
    if (required && rest.length === 0) return undefined;
    if (usage.includes("...")) {
      args.push(rest);
      rest = [];
    } else {
      args.push(rest[0]);
      rest = rest.slice(1);
    }
  }
  return rest.length ? undefined : args;
}
