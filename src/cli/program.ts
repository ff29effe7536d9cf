import { Command, Option } from "commander";
import { VaultError } from "../errors.js";
import type { ChildExit } from "../run/index.js";
import type { CommonOptions } from "./context.js";
import { addExamples } from "./examples.js";

/**
 * Every command is registered here and loaded only when it runs, so `vault run` does
 * not pay for prompts or the keychain binding. This file alone decides the exit code.
 */
function common(cmd: Command): Command {
  return cmd
    .option("--env <name>", "environment (default: $VAULT_ENV, then the vault's default)")
    .option("--vault <file>", "vault file (default: $VAULT_FILE, then secrets.vault here or above)")
    .option("-y, --yes", "never prompt; fail instead of asking")
    .option("--allow-rollback", "read an environment older than one this machine has verified, e.g. an old commit while bisecting (also VAULT_ALLOW_ROLLBACK=1); never writes");
}

/** Replaced with package.json's version when the CLI is bundled (scripts/bundle.mjs). */
declare const SEALENV_VERSION: string;

function version(): string {
  return typeof SEALENV_VERSION === "string" ? SEALENV_VERSION : "0.0.0-dev";
}

export function buildProgram(finish: (exit: ChildExit) => void): Command {
  const program = new Command("vault")
    .description("sealenv: an encrypted, local secrets vault that replaces .env files")
    .version(version(), "-v, --version")
    .enablePositionalOptions()
    .showHelpAfterError("vault: hint: `vault --help` lists the commands, `vault help COMMAND` their options")
    .exitOverride()
    // Every line says where it comes from, commander's "(Did you mean ...?)" included.
    .configureOutput({ outputError: (text, write) => write(text.replace(/^(?=.)/gm, "vault: ")) });
  // Global options go before the command too (`vault --env production get X`, as git's -C):
  // given there, they count for the command unless it is given its own.
  common(program).hook("preAction", (_root, action) => {
    for (const option of action.options) {
      const key = option.attributeName();
      const global = program.getOptionValue(key) as unknown;
      if (global !== undefined && action.getOptionValueSource(key) !== "cli") action.setOptionValue(key, global);
    }
  });

  common(program.command("init"))
    .description("create secrets.vault here with one environment")
    .option("--keychain", "keep the key in the OS keychain")
    .option("--passphrase", "add a passphrase slot (VAULT_PASSPHRASE, or asked)")
    .action(async (opts) => (await import("./commands/init.js")).initCommand(opts));

  common(program.command("set"))
    .description("set a secret (VALUE omitted: typed hidden, or read from stdin)")
    .argument("<name>")
    .argument("[value]")
    .option("--rotate-every <period>", "record a rotation policy, e.g. 90d, 12w, 1y (see `vault status`)")
    .option("--template", "store a template: ${NAME}, ${NAME:-default}, ${NAME-default} are resolved when read (otherwise the value is stored exactly as given)")
    .action(async (name: string, value: string | undefined, opts) => (await import("./commands/set.js")).setCommand(name, value, opts));

  common(program.command("status"))
    .description("secrets overdue for rotation or never rotated, per environment, oldest first")
    .option("--check", "exit non-zero when something is overdue, or an environment could not be checked (for CI)")
    .option("--allow-unchecked", "pass even if some environment could not be checked here (no key); also VAULT_ALLOW_UNCHECKED=1")
    .action(async (opts) => (await import("./commands/status.js")).statusCommand(opts));

  common(program.command("get"))
    .description("print a secret's value")
    .argument("<name>")
    .action(async (name: string, opts: CommonOptions) => (await import("./commands/get.js")).getCommand(name, opts));

  common(program.command("rm"))
    .description("remove secrets")
    .argument("<names...>")
    .action(async (names: string[], opts: CommonOptions) => (await import("./commands/rm.js")).rmCommand(names, opts));

  common(program.command("ls"))
    .description("list secret names")
    .option("--json", "print a JSON array")
    .action(async (opts) => (await import("./commands/ls.js")).lsCommand(opts));

  common(program.command("run"))
    .description("run a command with the secrets in its environment")
    .option("--override", "vault values win over variables already set")
    .option("--mask", "replace secret values in the command's output with [masked NAME] (also VAULT_MASK=1)")
    .argument("<command...>")
    .passThroughOptions()
    .action(async (command: string[], opts) => finish(await (await import("./commands/run.js")).runCmd(command, opts)));

  common(program.command("edit"))
    .description("edit an environment in $VISUAL/$EDITOR, in dotenv syntax; applies only what changed")
    .action(async (opts: CommonOptions) => (await import("./commands/edit.js")).editCommand(opts));

  common(program.command("import"))
    .description("import a dotenv file (- for stdin): each value exactly as dotenv reads it")
    .argument("<file>")
    .option("--expand", "read ${NAME} in unquoted and double-quoted values as templates, as dotenv-expand and dotenvx do")
    .action(async (file: string, opts) => (await import("./commands/import.js")).importCommand(file, opts));

  common(program.command("export"))
    .description("print the secrets as dotenv, json or shell")
    .addOption(new Option("--format <format>", "output format").choices(["dotenv", "json", "shell"]).default("dotenv"))
    .action(async (opts) => (await import("./commands/export.js")).exportCommand(opts));

  common(program.command("rotate"))
    .description("replace an environment's data key and re-encrypt its secrets")
    .option("--print-key", "print the new key string on stdout")
    .action(async (opts) => (await import("./commands/rotate.js")).rotateCommand(opts));

  const env = program.command("env").description("manage environments");
  common(env.command("ls")).description("list environments").option("--json", "print JSON")
    .action(async (opts) => (await import("./commands/env.js")).envLsCommand(opts));
  common(env.command("add")).description("add an environment with its own key").argument("<name>")
    .option("--keychain", "keep the key in the OS keychain (the default)")
    .option("--passphrase", "add a passphrase slot (VAULT_PASSPHRASE_<ENV>, VAULT_PASSPHRASE, or asked)")
    .option("--same-passphrase", "allow a passphrase that already opens another environment")
    .action(async (name: string, opts) => (await import("./commands/env.js")).envAddCommand(name, opts));
  common(env.command("rm")).description("remove an environment and its secrets").argument("<name>")
    .action(async (name: string, opts: CommonOptions) => (await import("./commands/env.js")).envRmCommand(name, opts));
  common(env.command("default")).description("make an environment the default").argument("<name>")
    .action(async (name: string, opts: CommonOptions) => (await import("./commands/env.js")).envDefaultCommand(name, opts));

  const key = program.command("key").description("move keys between machines");
  common(key.command("export")).description("print the environment's key string")
    .action(async (opts: CommonOptions) => (await import("./commands/key.js")).keyExportCommand(opts));
  common(key.command("import")).description("store a key string (from stdin) in the OS keychain")
    .action(async (opts: CommonOptions) => (await import("./commands/key.js")).keyImportCommand(opts));
  common(key.command("forget")).description("remove the environment's key from the OS keychain")
    .action(async (opts: CommonOptions) => (await import("./commands/key.js")).keyForgetCommand(opts));

  common(program.command("scan"))
    .description("look for secret values (and plaintext .env files) in files, staged changes or all of history")
    .argument("[paths...]", "files or folders (default: the current folder)")
    .option("--staged", "what the next commit would add (the pre-commit hook)")
    .option("--history", "every file version in every commit")
    .option("--allow-unchecked", "pass even if some environment could not be checked here (no key); also VAULT_ALLOW_UNCHECKED=1, or `git config sealenv.allowUnchecked true` for the hook")
    .action(async (paths: string[], opts) => (await import("./commands/scan.js")).scanCommand(paths, opts));

  const identity = program.command("identity").description("your key pair for team access");
  identity.command("new").description("create your identity (private half in the keychain) and print its public key")
    .option("--force", "replace an existing identity")
    .action(async (opts: { force?: boolean }) => (await import("./commands/identity.js")).identityNewCommand(opts));
  identity.command("show").description("print your public key, to share")
    .action(async () => (await import("./commands/identity.js")).identityShowCommand());

  const member = program.command("member").description("who can open which environment");
  common(member.command("add")).description("give a member access: seals the environments' keys to their public key")
    .argument("<name>").argument("<public-key>", "their `vault identity show` line, or an ssh-ed25519 public key")
    .action(async (name: string, key: string, opts: CommonOptions) => (await import("./commands/member.js")).memberAddCommand(name, key, opts));
  common(member.command("ls")).description("list member keys: label, kind, fingerprint, environments").option("--json", "print JSON")
    .action(async (opts) => (await import("./commands/member.js")).memberLsCommand(opts));
  common(member.command("rm")).description("remove a member's keys (by label or key fingerprint) and rotate every environment they could open")
    .argument("<name-or-fingerprint>")
    .action(async (name: string, opts: CommonOptions) => (await import("./commands/member.js")).memberRmCommand(name, opts));

  common(program.command("trust"))
    .description("accept an environment's current key after a change this machine could not verify")
    .action(async (opts: CommonOptions) => (await import("./commands/member.js")).trustCommand(opts));

  common(program.command("doctor"))
    .description("check the keychain, key sources, vault integrity, git setup and stray .env files, each with a fix")
    .option("--allow-unchecked", "pass even if some environment could not be checked here (no key); also VAULT_ALLOW_UNCHECKED=1")
    .action(async (opts) => (await import("./commands/doctor.js")).doctorCommand(opts));

  program.command("audit")
    .description("the local audit trail: who revealed or changed which secrets, when (never values)")
    .option("--verify", "check the keyed hash chain and its head; a changed, inserted or removed record, or a cut end, is an error")
    .option("--accept", "make the log as it is now its head (after you trimmed it, or kept a damaged one as evidence)")
    .option("--json", "print JSON")
    .action(async (opts: { verify?: boolean; accept?: boolean; json?: boolean }) => (await import("./commands/audit.js")).auditCommand(opts));

  common(program.command("resolve"))
    .description("settle a vault merge conflict: keep --ours or --theirs (or `vault set` a new value)")
    .argument("[name]", "the secret; omit for a whole-environment conflict")
    .option("--ours", "keep our side")
    .option("--theirs", "take their side")
    .action(async (name: string | undefined, opts) => (await import("./commands/resolve.js")).resolveCommand(name, opts));

  const gitCmd = program.command("git").description("work with git: readable diffs, per-secret merges, leak guard");
  common(gitCmd.command("setup"))
    .description("register the diff and merge drivers and ignore plaintext secret files (idempotent)")
    .option("--diff-values", "show plaintext values in git diff for those with the key")
    .action(async (opts) => (await import("./commands/git.js")).gitSetupCommand(opts));
  common(gitCmd.command("conflicts")).description("list unresolved vault merge conflicts")
    .action(async (opts: CommonOptions) => (await import("./commands/git.js")).gitConflictsCommand(opts));
  const hook = gitCmd.command("hook").description("the pre-commit leak guard");
  common(hook.command("install"))
    .description("install the pre-commit hook that refuses commits leaking secrets (keeps an existing hook)")
    .action(async (opts: CommonOptions) => (await import("./commands/git.js")).gitHookInstallCommand(opts));
  gitCmd.command("textconv", { hidden: true }).argument("<file>").option("--values")
    .action(async (file: string, opts: { values?: boolean }) => (await import("./commands/git.js")).gitTextconvCommand(file, opts));
  gitCmd.command("merge", { hidden: true }).argument("<base>").argument("<ours>").argument("<theirs>").argument("<path>")
    .action(async (base: string, ours: string, theirs: string, vaultPath: string) => (await import("./commands/git.js")).gitMergeCommand(base, ours, theirs, vaultPath));

  program.command("version").description("print sealenv's version (also -v, --version)")
    .action(() => {
      process.stdout.write(`${version()}\n`);
    });

  // Our own `help`: commander's prints the whole help (exit 2) for a command that does not exist.
  program.helpCommand(false);
  program.command("help")
    .description("display help for a command")
    .argument("[command...]")
    .action((names: string[]) => {
      let cmd: Command = program;
      for (const [i, name] of names.entries()) {
        const sub = cmd.commands.find((c) => c.name() === name || c.aliases().includes(name));
        if (!sub) throw new VaultError("usage", `no command \`vault ${names.slice(0, i + 1).join(" ")}\``, "`vault --help` lists the commands");
        cmd = sub;
      }
      cmd.outputHelp();
    });

  program.command("completion")
    .description("print a shell completion script: eval \"$(vault completion bash)\"")
    .argument("<shell>", "bash, zsh or fish")
    .action(async (shell: string) => (await import("./commands/completion.js")).completionCommand(shell, program));
  common(program.command("__complete", { hidden: true })).argument("<what>")
    .action(async (what: string, opts: CommonOptions) => (await import("./commands/completion.js")).completeNamesCommand(what, opts));

  addExamples(program);
  return program;
}

