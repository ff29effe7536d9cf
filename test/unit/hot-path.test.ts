import { CommanderError, type Command } from "commander";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMMANDS, optionsOf, type OptionSpec } from "../../src/cli/grammar.js";
import { hotCommand } from "../../src/cli/hot-path.js";
import { buildProgram } from "../../src/cli/program.js";

describe("hotCommand", () => {
  it.each([
    [["run", "--", "npm", "start"], { name: "run", command: ["npm", "start"], options: {} }],
    [["run", "npm", "start", "--env", "x"], { name: "run", command: ["npm", "start", "--env", "x"], options: {} }],
    [["run", "--env", "production", "--override", "--", "node", "-e", "1"], { name: "run", command: ["node", "-e", "1"], options: { env: "production", override: true } }],
    [["run", "--env=staging", "-y", "--vault", "a/secrets.vault", "cmd"], { name: "run", command: ["cmd"], options: { env: "staging", yes: true, vault: "a/secrets.vault" } }],
    [["run", "--mask", "--allow-rollback", "cmd", "--", "x"], { name: "run", command: ["cmd", "--", "x"], options: { mask: true, allowRollback: true } }],
    [["get", "API_KEY"], { name: "get", secret: "API_KEY", options: {} }],
    [["get", "--env", "production", "API_KEY"], { name: "get", secret: "API_KEY", options: { env: "production" } }],
    [["get", "API_KEY", "--vault=x.vault"], { name: "get", secret: "API_KEY", options: { vault: "x.vault" } }],
    [["get", "--env=", "--", "-A"], { name: "get", secret: "-A", options: { env: "" } }],
    [["set", "API_KEY"], { name: "set", secret: "API_KEY", value: undefined, options: {} }],
    [["set", "--env", "production", "API_KEY", "v"], { name: "set", secret: "API_KEY", value: "v", options: { env: "production" } }],
    [["set", "URL", "--template", "--rotate-every=90d"], { name: "set", secret: "URL", value: undefined, options: { template: true, rotateEvery: "90d" } }],
    [["git", "textconv", "/tmp/Ab12_secrets.vault"], { name: "git textconv", file: "/tmp/Ab12_secrets.vault", options: {} }],
    [["git", "textconv", "--values", "secrets.vault"], { name: "git textconv", file: "secrets.vault", options: { values: true } }],
  ])("recognises %j", (args, expected) => {
    expect(hotCommand(args)).toEqual(expected);
  });

  it.each([
    [["run"]],
    [["run", "--"]],
    [["run", "--help"]],
    [["run", "--env"]],
    [["run", "--env", "--override", "cmd"]],
    [["run", "--unknown", "cmd"]],
    [["run", "--mask=1", "cmd"]],
    [["run", "-yy", "cmd"]],
    [["get"]],
    [["get", "A", "B"]],
    [["get", "--help"]],
    [["get", "-h", "A"]],
    [["get", "-1"]],
    [["set"]],
    [["set", "A", "1", "2"]],
    [["set", "--help"]],
    [["set", "A", "-1"]],
    [["git", "textconv"]],
    [["git", "textconv", "--help"]],
    [["git", "textconv", "a", "b"]],
    [["git", "textconv", "--env", "x", "a"]],
    [["git", "merge", "a", "b", "c", "d"]],
    [["git"]],
    [["--help"]],
    [[]],
  ])("leaves %j to commander", (args) => {
    expect(hotCommand(args)).toBeUndefined();
  });
});

const HOT_PATHS = ["run", "get", "set"] as const;
type HotPath = (typeof HOT_PATHS)[number];

type Reading = { path: string; args: unknown[]; options: Record<string, unknown> } | "declined";

/** What the full program makes of argv: the command it would run, with what, or "declined" (an error, help, ...). */
async function commanderReading(argv: string[]): Promise<Reading> {
  const program = buildProgram(() => {});
  const silence = (cmd: Command) => {
    cmd.configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
    cmd.commands.forEach(silence);
  };
  silence(program);
  let reading: Reading = "declined";
  const stop = new Error("the action would run here");
  program.hook("preAction", (_root, action) => {
    reading = { path: action.name(), args: action.processedArgs, options: action.opts() };
    throw stop;
  });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (err) {
    if (err !== stop && !(err instanceof CommanderError)) throw err;
  }
  return reading;
}

function hotReading(argv: string[]): Reading {
  const hot = hotCommand(argv);
  if (!hot) return "declined";
  const args = hot.name === "run" ? [hot.command] : hot.name === "get" ? [hot.secret] : hot.name === "set" ? [hot.secret, hot.value] : [hot.file];
  return { path: hot.name, args, options: hot.options };
}

// Words built from the table, so an option added to it is generated here too.
const WORDS = ["cmd", "npm", "A", "API_KEY", "production", "a b", "x=y", "", "-", "help", "run"];
const word = fc.constantFrom(...WORDS);
const valueOf = (option: OptionSpec) => (option.choices ? fc.constantFrom(...option.choices) : word);

/** Each of the command's options, spelled every way commander takes it, with a fitting value. */
function wellFormedOption(option: OptionSpec): fc.Arbitrary<string[]> {
  const names = [`--${option.long}`, ...(option.short ? [`-${option.short}`] : [])];
  if (option.value === undefined) return fc.constantFrom(...names.map((n) => [n]));
  return fc.oneof(
    fc.tuple(fc.constantFrom(...names), valueOf(option)).map(([n, v]) => [n, v]),
    valueOf(option).map((v) => [`--${option.long}=${v}`]),
  );
}

/** The same options misspelt, misused or cut short, and things commander reads its own way. */
function junkFor(path: HotPath): fc.Arbitrary<string[]> {
  const options = optionsOf(path);
  const spellings = options.flatMap((o) => [
    [`--${o.long}`], // a value option with no value (or the next word as it)
    [`--${o.long}=`],
    [`--${o.long}=-x`],
    [`--${o.long.toUpperCase()}`],
    [`--${o.long.slice(0, -1)}`],
    [`---${o.long}`],
    [`--no-${o.long}`],
    ...(o.short ? [[`-${o.short}${o.short}`], [`-${o.short}=1`], [`-${o.short}1`]] : []),
  ]);
  const other = [["--foo"], ["-x"], ["-h"], ["--help"], ["-v"], ["--version"], ["--"], ["-"], ["-1"], ["-1.5"], ["--="], ["--foo=bar"], ["-e"]];
  return fc.oneof(fc.constantFrom(...spellings), fc.constantFrom(...other), fc.constantFrom(...options).chain(wellFormedOption));
}

function argvFor(path: HotPath): fc.Arbitrary<string[]> {
  const token = fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...optionsOf(path)).chain(wellFormedOption) },
    { weight: 3, arbitrary: junkFor(path) },
    { weight: 2, arbitrary: word.map((w) => [w]) },
    // A value that looks like an option, after an option that takes one.
    { weight: 1, arbitrary: fc.constantFrom(...optionsOf(path).filter((o) => o.value)).map((o) => [`--${o.long}`, "-x"]) },
  );
  return fc.array(token, { maxLength: 7 }).map((tokens) => [path, ...tokens.flat()]);
}

/** Only what the table allows: options with fitting values, maybe `--`, then the arguments the command wants. */
function wellFormedArgv(path: HotPath): fc.Arbitrary<string[]> {
  const safeWord = fc.constantFrom(...WORDS.filter((w) => !w.startsWith("-")));
  const operands =
    path === "run"
      ? fc.array(fc.oneof(safeWord, fc.constantFrom("-x", "--env", "--")), { minLength: 1, maxLength: 4 })
      : path === "set"
        ? fc.array(safeWord, { minLength: 1, maxLength: 2 })
        : safeWord.map((w) => [w]);
  return fc
    .tuple(fc.array(fc.constantFrom(...optionsOf(path)).chain(wellFormedOption), { maxLength: 5 }), fc.boolean(), operands)
    .map(([options, dashes, args]) => {
      const first = args[0] as string;
      // Without `--`, an argument that looks like an option would be read as one.
      const needDashes = dashes || first.startsWith("-");
      return [path, ...options.flat(), ...(needDashes ? ["--"] : []), ...args];
    });
}

describe("the hot path and commander read argv alike (one grammar)", () => {
  it("reads git's textconv command line as commander does", async () => {
    const argvs = [["--values", "f"], ["f"], ["--", "-f"], ["f", "--values"], ["--values"], ["-v", "f"], ["--values=1", "f"], ["f", "g"], []];
    for (const words of argvs) {
      const hot = hotCommand(["git", "textconv", ...words]);
      const full = await commanderReading(["git", "textconv", ...words]);
      if (!hot) continue;
      expect(full, JSON.stringify(words)).toStrictEqual({ path: "textconv", args: [hot.name === "git textconv" ? hot.file : undefined], options: hot.options });
    }
    expect(argvs.filter((words) => hotCommand(["git", "textconv", ...words])).length).toBe(4);
  });

  it("commander's options for run, get and set are the table's", () => {
    const program = buildProgram(() => {});
    for (const path of HOT_PATHS) {
      const cmd = program.commands.find((c) => c.name() === path) as Command;
      expect(cmd.options.map((o) => ({ long: o.long, short: o.short, takesValue: o.required, choices: o.argChoices }))).toEqual(
        optionsOf(path).map((o) => ({ long: `--${o.long}`, short: o.short && `-${o.short}`, takesValue: o.value !== undefined, choices: o.choices })),
      );
      expect(cmd.registeredArguments.map((a) => a.name())).toEqual((COMMANDS[path].args ?? []).map((a) => a.usage.replace(/[<>[\].]/g, "")));
    }
  });

  for (const path of HOT_PATHS) {
    it(`whenever the hot path takes \`vault ${path} ...\`, commander runs the same command with the same arguments and options`, async () => {
      const seen = { taken: 0, declinedByBoth: 0, declinedByHotOnly: 0 };
      await fc.assert(
        fc.asyncProperty(argvFor(path), async (argv) => {
          const hot = hotReading(argv);
          const full = await commanderReading(argv);
          if (hot === "declined") {
            seen[full === "declined" ? "declinedByBoth" : "declinedByHotOnly"]++;
            return;
          }
          // Commander refusing (or showing help) where the hot path went ahead would run what the user never meant.
          expect(full, `commander declines ${JSON.stringify(argv)}, the hot path takes it`).not.toBe("declined");
          expect(hot, JSON.stringify(argv)).toStrictEqual(full);
          seen.taken++;
        }),
        { numRuns: 600 },
      );
      // The generator must reach both sides, or the property proves nothing.
      expect(seen.taken).toBeGreaterThan(30);
      expect(seen.declinedByBoth).toBeGreaterThan(30);
    });

    it(`takes every well-formed \`vault ${path} ...\` the table allows, as commander does`, async () => {
      await fc.assert(
        fc.asyncProperty(wellFormedArgv(path), async (argv) => {
          const hot = hotReading(argv);
          expect(hot, `the hot path declines ${JSON.stringify(argv)}`).not.toBe("declined");
          expect(hot).toStrictEqual(await commanderReading(argv));
        }),
        { numRuns: 300 },
      );
    });
  }
});
