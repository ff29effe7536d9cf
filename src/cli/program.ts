import { Command, Option } from "commander";
import { VaultError } from "../errors.js";
import type { ChildExit } from "../run/index.js";
import { addExamples } from "./examples.js";
import { COMMANDS, COMMON_OPTIONS, GROUPS, optionsOf, type ArgumentsOf, type CommandPath, type CommandSpec, type OptionSpec, type OptionsOf } from "./grammar.js";
import { print, printExactly, printToStderr } from "./output.js";

/** What commander calls with a command's arguments and options, typed from the grammar table. */
type Action<P extends CommandPath> = (...args: [...ArgumentsOf<P>, OptionsOf<P>]) => void | Promise<void>;

function optionOf(spec: OptionSpec): Option {
  const flags = `${spec.short ? `-${spec.short}, ` : ""}--${spec.long}${spec.value ? ` <${spec.value}>` : ""}`;
  const option = new Option(flags, spec.description);
  if (spec.choices) option.choices(spec.choices);
  if (spec.default !== undefined) option.default(spec.default);
  return option;
}

/** "git hook" for "git hook install", "" for "init". */
function parentPath(path: string): string {
  return path.slice(0, Math.max(0, path.lastIndexOf(" ")));
}

function nameOf(path: string): string {
  return path.slice(path.lastIndexOf(" ") + 1);
}

/** Replaced with package.json's version when the CLI is bundled (scripts/bundle.mjs). */
declare const SEALENV_VERSION: string;

function version(): string {
  return typeof SEALENV_VERSION === "string" ? SEALENV_VERSION : "0.0.0-dev";
}

/** The full command line, built from grammar.ts: every command, its help and its usage errors. */
export function buildProgram(finish: (exit: ChildExit) => void): Command {
  const program = new Command("vault")
    .description("sealenv: an encrypted, local secrets vault that replaces .env files")
    .version(version(), "-v, --version")
    .enablePositionalOptions()
    .showHelpAfterError("vault: hint: `vault --help` lists the commands, `vault help COMMAND` their options")
    .exitOverride()
    // Every line says where it comes from, commander's "(Did you mean ...?)" included.
    .configureOutput({ writeOut: printExactly, writeErr: printToStderr, outputError: (text, write) => write(text.replace(/^(?=.)/gm, "vault: ")) });
  // Global options go before the command too (`vault --env production get X`, as git's -C):
  // given there, they count for the command unless it is given its own.
  for (const option of COMMON_OPTIONS) program.addOption(optionOf(option));
  program.hook("preAction", (_root, action) => {
    for (const option of action.options) {
      const key = option.attributeName();
      const global = program.getOptionValue(key) as unknown;
      if (global !== undefined && action.getOptionValueSource(key) !== "cli") action.setOptionValue(key, global);
    }
  });
  // Our own `help`: commander's prints the whole help (exit 2) for a command that does not exist.
  program.helpCommand(false);

  // Commands load only when they run, so `vault run` does not pay for prompts or the keychain binding.
  const actions: { [P in CommandPath]: Action<P> } = {
    init: async (opts) => (await import("./commands/init.js")).initCommand(opts),
    set: async (name, value, opts) => (await import("./commands/set.js")).setCommand(name, value, opts),
    status: async (opts) => (await import("./commands/status.js")).statusCommand(opts),
    get: async (name, opts) => (await import("./commands/get.js")).getCommand(name, opts),
    rm: async (names, opts) => (await import("./commands/rm.js")).rmCommand(names, opts),
    ls: async (opts) => (await import("./commands/ls.js")).lsCommand(opts),
    run: async (command, opts) => finish(await (await import("./commands/run.js")).runCommand(command, opts)),
    edit: async (opts) => (await import("./commands/edit.js")).editCommand(opts),
    import: async (file, opts) => (await import("./commands/import.js")).importCommand(file, opts),
    export: async (opts) => (await import("./commands/export.js")).exportCommand(opts),
    example: async (opts) => (await import("./commands/example.js")).exampleCommand(opts),
    check: async (opts) => (await import("./commands/check.js")).checkCommand(opts),
    "ci github": async (opts) => (await import("./commands/ci.js")).ciGithubCommand(opts),
    rotate: async (opts) => (await import("./commands/rotate.js")).rotateCommand(opts),
    "env ls": async (opts) => (await import("./commands/env.js")).envLsCommand(opts),
    "env add": async (name, opts) => (await import("./commands/env.js")).envAddCommand(name, opts),
    "env rm": async (name, opts) => (await import("./commands/env.js")).envRmCommand(name, opts),
    "env default": async (name, opts) => (await import("./commands/env.js")).envDefaultCommand(name, opts),
    "key export": async (opts) => (await import("./commands/key.js")).keyExportCommand(opts),
    "key import": async (opts) => (await import("./commands/key.js")).keyImportCommand(opts),
    "key forget": async (opts) => (await import("./commands/key.js")).keyForgetCommand(opts),
    scan: async (paths, opts) => (await import("./commands/scan.js")).scanCommand(paths, opts),
    "identity new": async (opts) => (await import("./commands/identity.js")).identityNewCommand(opts),
    "identity show": async () => (await import("./commands/identity.js")).identityShowCommand(),
    "member add": async (name, key, opts) => (await import("./commands/member.js")).memberAddCommand(name, key, opts),
    "member ls": async (opts) => (await import("./commands/member.js")).memberLsCommand(opts),
    "member rm": async (name, opts) => (await import("./commands/member.js")).memberRmCommand(name, opts),
    trust: async (opts) => (await import("./commands/member.js")).trustCommand(opts),
    doctor: async (opts) => (await import("./commands/doctor.js")).doctorCommand(opts),
    audit: async (opts) => (await import("./commands/audit.js")).auditCommand(opts),
    resolve: async (name, opts) => (await import("./commands/resolve.js")).resolveCommand(name, opts),
    "git setup": async (opts) => (await import("./commands/git.js")).gitSetupCommand(opts),
    "git conflicts": async (opts) => (await import("./commands/git.js")).gitConflictsCommand(opts),
    "git hook install": async (opts) => (await import("./commands/git.js")).gitHookInstallCommand(opts),
    "git textconv": async (file, opts) => (await import("./commands/git.js")).gitTextconvCommand(file, opts),
    "git merge": async (base, ours, theirs, vaultPath) => (await import("./commands/git.js")).gitMergeCommand(base, ours, theirs, vaultPath),
    version: () => {
      print(version());
    },
    help: (names) => {
      let cmd: Command = program;
      for (const [i, name] of names.entries()) {
        const sub = cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!sub) throw new VaultError("usage", `no command \`vault ${names.slice(0, i + 1).join(" ")}\``, "`vault --help` lists the commands");
        cmd = sub;
      }
      cmd.outputHelp();
    },
    completion: async (shell) => (await import("./commands/completion.js")).completionCommand(shell, program),
    __complete: async (what, opts) => (await import("./commands/completion.js")).completeNamesCommand(what, opts),
  };

  const built = new Map<string, Command>([["", program]]);
  const parentOf = (path: string): Command => {
    const parent = parentPath(path);
    let group = built.get(parent);
    if (!group) {
      group = parentOf(parent).command(nameOf(parent)).description(GROUPS[parent] ?? "");
      built.set(parent, group);
    }
    return group;
  };
  for (const path of Object.keys(COMMANDS) as CommandPath[]) {
    const spec: CommandSpec = COMMANDS[path];
    const cmd = parentOf(path).command(nameOf(path), { hidden: Boolean(spec.hidden) }).description(spec.description);
    for (const arg of spec.args ?? []) cmd.argument(arg.usage, arg.description);
    for (const option of optionsOf(path)) cmd.addOption(optionOf(option));
    if (spec.passThrough) cmd.passThroughOptions();
    // The table built this command, so commander hands the action what Action<P> says.
    cmd.action(actions[path] as (...args: unknown[]) => void | Promise<void>);
  }

  addExamples(program);
  return program;
}

