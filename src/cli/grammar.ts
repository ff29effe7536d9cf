/**
 * The command line's grammar, in one table: every command's arguments and options.
 * program.ts builds commander from it, hot-path.ts reads `run` and `get` from it without
 * loading commander, and each command's options type is derived from it, so none of the
 * three can drift from the others. No imports: the hot path loads this on every `vault run`.
 */

/** `--long`, with `-short` and a `<value>` where it takes one. */
export interface OptionSpec {
  /** Without the dashes; commander's camelCase of it names the option in `opts`. */
  readonly long: string;
  readonly short?: string;
  /** The value's name in help; without one the option is a flag. */
  readonly value?: string;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly default?: string;
}

interface ArgumentSpec {
  /** As commander writes it: `<name>` required, `[name]` optional, `name...` the rest. */
  readonly usage: string;
  readonly description?: string;
}

export interface CommandSpec {
  readonly description: string;
  /** Takes COMMON_OPTIONS, before its own. */
  readonly common?: boolean;
  readonly args?: readonly ArgumentSpec[];
  readonly options?: readonly OptionSpec[];
  /** Options only before the first argument: from there on the words are the child command's. */
  readonly passThrough?: boolean;
  readonly hidden?: boolean;
}

/** Options every command that opens the vault takes; also accepted before the command. */
export const COMMON_OPTIONS = [
  { long: "env", value: "name", description: "environment (default: $VAULT_ENV, then the vault's default)" },
  { long: "vault", value: "file", description: "vault file (default: $VAULT_FILE, then secrets.vault here or above)" },
  { long: "yes", short: "y", description: "never prompt; fail instead of asking" },
  {
    long: "allow-rollback",
    description: "read an environment older than one this machine has verified, e.g. an old commit while bisecting (also VAULT_ALLOW_ROLLBACK=1); never writes",
  },
] as const satisfies readonly OptionSpec[];

const JSON_OPTION = { long: "json", description: "print JSON" } as const;
const ALLOW_UNCHECKED = {
  long: "allow-unchecked",
  description: "pass even if some environment could not be checked here (no key); also VAULT_ALLOW_UNCHECKED=1",
} as const;

/** Commands that only group others ("env" in `vault env ls`). */
export const GROUPS: Readonly<Record<string, string>> = {
  env: "manage environments",
  key: "move keys between machines",
  identity: "your key pair for team access",
  member: "who can open which environment",
  git: "work with git: readable diffs, per-secret merges, leak guard",
  "git hook": "the pre-commit leak guard",
  ci: "hand the secrets to a CI system",
};

/** Keyed by the words that name the command; in the order help lists them. */
export const COMMANDS = {
  init: {
    description: "create secrets.vault here with one environment",
    common: true,
    options: [
      { long: "keychain", description: "keep the key in the OS keychain" },
      { long: "passphrase", description: "add a passphrase slot (VAULT_PASSPHRASE, or asked)" },
    ],
  },
  set: {
    description: "set a secret (VALUE omitted: typed hidden, or read from stdin)",
    common: true,
    args: [{ usage: "<name>" }, { usage: "[value]" }],
    options: [
      { long: "rotate-every", value: "period", description: "record a rotation policy, e.g. 90d, 12w, 1y (see `vault status`)" },
      {
        long: "template",
        description: "store a template: ${NAME}, ${NAME:-default}, ${NAME-default} are resolved when read (otherwise the value is stored exactly as given)",
      },
    ],
  },
  status: {
    description: "secrets overdue for rotation or never rotated, per environment, oldest first",
    common: true,
    options: [
      { long: "check", description: "exit non-zero when something is overdue, or an environment could not be checked (for CI)" },
      ALLOW_UNCHECKED,
    ],
  },
  get: { description: "print a secret's value", common: true, args: [{ usage: "<name>" }] },
  rm: { description: "remove secrets", common: true, args: [{ usage: "<names...>" }] },
  ls: { description: "list secret names", common: true, options: [{ long: "json", description: "print a JSON array" }] },
  run: {
    description: "run a command with the secrets in its environment",
    common: true,
    args: [{ usage: "<command...>" }],
    options: [
      { long: "override", description: "vault values win over variables already set" },
      { long: "mask", description: "replace secret values in the command's output with [masked NAME] (also VAULT_MASK=1)" },
    ],
    passThrough: true,
  },
  edit: { description: "edit an environment in $VISUAL/$EDITOR, in dotenv syntax; applies only what changed", common: true },
  import: {
    description: "import a dotenv file (- for stdin): each value exactly as dotenv reads it",
    common: true,
    args: [{ usage: "<file>" }],
    options: [
      { long: "expand", description: "read ${NAME} in unquoted and double-quoted values as templates, as dotenv-expand and dotenvx do" },
      {
        long: "from",
        value: "tool",
        description:
          "dotenvx: decrypt its encrypted: values with DOTENV_PRIVATE_KEY_<ENV>, DOTENV_PRIVATE_KEY or the .env.keys beside the file (stdin: the variables only)",
        choices: ["dotenvx"],
      },
    ],
  },
  export: {
    description: "print the secrets as dotenv, json, shell, docker, k8s or yaml",
    common: true,
    options: [
      {
        long: "format",
        value: "format",
        description: "output format (docker: for `docker run --env-file`; k8s: a Secret manifest)",
        choices: ["dotenv", "json", "shell", "docker", "k8s", "yaml"],
        default: "dotenv",
      },
      { long: "name", value: "name", description: "k8s: the Secret's metadata.name (default: the vault's folder and the environment, e.g. api-production)" },
      { long: "namespace", value: "namespace", description: "k8s: the Secret's metadata.namespace (default: none, so kubectl's current one)" },
    ],
  },
  example: {
    description: "print the secret names as an .env.example: NAME= lines, no values",
    common: true,
    options: [{ long: "all", description: "every environment's names (each marked with where it is set when not everywhere)" }],
  },
  check: {
    description: "check that an environment has every name an .env.example lists (for CI)",
    common: true,
    options: [
      { long: "example", value: "file", description: "the example file, read as dotenv", default: ".env.example" },
      { long: "all", description: "check every environment" },
      { long: "strict", description: "also fail on names an environment has that the example lacks" },
    ],
  },
  "ci github": {
    description: "GitHub Actions: mask every value, then append the secrets to $GITHUB_ENV for the job's later steps",
    common: true,
  },
  rotate: {
    description: "replace an environment's data key and re-encrypt its secrets",
    common: true,
    options: [{ long: "print-key", description: "print the new key string on stdout" }],
  },
  "env ls": { description: "list environments", common: true, options: [JSON_OPTION] },
  "env add": {
    description: "add an environment with its own key",
    common: true,
    args: [{ usage: "<name>" }],
    options: [
      { long: "keychain", description: "keep the key in the OS keychain (the default)" },
      { long: "passphrase", description: "add a passphrase slot (VAULT_PASSPHRASE_<ENV>, VAULT_PASSPHRASE, or asked)" },
      { long: "same-passphrase", description: "allow a passphrase that already opens another environment" },
    ],
  },
  "env rm": { description: "remove an environment and its secrets", common: true, args: [{ usage: "<name>" }] },
  "env default": { description: "make an environment the default", common: true, args: [{ usage: "<name>" }] },
  "key export": { description: "print the environment's key string", common: true },
  "key import": { description: "store a key string (from stdin) in the OS keychain", common: true },
  "key forget": { description: "remove the environment's key from the OS keychain", common: true },
  scan: {
    description: "look for secret values (and plaintext .env files) in files, staged changes or all of history",
    common: true,
    args: [{ usage: "[paths...]", description: "files or folders (default: the current folder)" }],
    options: [
      { long: "staged", description: "what the next commit would add (the pre-commit hook)" },
      { long: "history", description: "every file version in every commit" },
      {
        long: "allow-unchecked",
        description:
          "pass even if some environment could not be checked here (no key); also VAULT_ALLOW_UNCHECKED=1, or `git config sealenv.allowUnchecked true` for the hook",
      },
    ],
  },
  "identity new": {
    description: "create your identity (private half in the keychain) and print its public key",
    options: [{ long: "force", description: "replace an existing identity" }],
  },
  "identity show": { description: "print your public key, to share" },
  "member add": {
    description: "give a member access: seals the environments' keys to their public key",
    common: true,
    args: [{ usage: "<name>" }, { usage: "<public-key>", description: "their `vault identity show` line, an ssh-ed25519 public key, or an age recipient (age1..., or a plugin's age1NAME1...)" }],
  },
  "member ls": { description: "list member keys: label, kind, fingerprint, environments", common: true, options: [JSON_OPTION] },
  "member rm": {
    description: "remove a member's keys (by label or key fingerprint) and rotate every environment they could open",
    common: true,
    args: [{ usage: "<name-or-fingerprint>" }],
  },
  trust: { description: "accept an environment's current key after a change this machine could not verify", common: true },
  doctor: {
    description: "check the keychain, key sources, vault integrity, git setup and stray .env files, each with a fix",
    common: true,
    options: [ALLOW_UNCHECKED],
  },
  audit: {
    description: "the local audit trail: who revealed or changed which secrets, when (never values)",
    options: [
      { long: "verify", description: "check the keyed hash chain and its head; a changed, inserted or removed record, or a cut end, is an error" },
      { long: "accept", description: "make the log as it is now its head (after you trimmed it, or kept a damaged one as evidence)" },
      JSON_OPTION,
    ],
  },
  resolve: {
    description: "settle a vault merge conflict: keep --ours or --theirs (or `vault set` a new value)",
    common: true,
    args: [{ usage: "[name]", description: "the secret; omit for a whole-environment conflict" }],
    options: [
      { long: "ours", description: "keep our side" },
      { long: "theirs", description: "take their side" },
    ],
  },
  "git setup": {
    description: "register the diff and merge drivers and ignore plaintext secret files (idempotent)",
    common: true,
    options: [{ long: "diff-values", description: "show plaintext values in git diff for those with the key" }],
  },
  "git conflicts": { description: "list unresolved vault merge conflicts", common: true },
  "git hook install": {
    description: "install the pre-commit hook that refuses commits leaking secrets (keeps an existing hook)",
    common: true,
  },
  // The two below are what git runs (textconv and merge drivers), not people.
  "git textconv": {
    description: "",
    hidden: true,
    args: [{ usage: "<file>" }],
    // --cache names this repository's textconv cache (see src/git/setup.ts); the output does not depend on it.
    options: [
      { long: "values", description: "" },
      { long: "cache", value: "id", description: "" },
    ],
  },
  "git merge": {
    description: "",
    hidden: true,
    args: [{ usage: "<base>" }, { usage: "<ours>" }, { usage: "<theirs>" }, { usage: "<path>" }],
  },
  version: { description: "print sealenv's version (also -v, --version)" },
  help: { description: "display help for a command", args: [{ usage: "[command...]" }] },
  completion: {
    description: "print a shell completion script: eval \"$(vault completion bash)\"",
    args: [{ usage: "<shell>", description: "bash, zsh or fish" }],
  },
  __complete: { description: "", common: true, hidden: true, args: [{ usage: "<what>" }] },
} as const satisfies Record<string, CommandSpec>;

export type CommandPath = keyof typeof COMMANDS;

/** A command's options in the order help lists them: the common ones first. */
export function optionsOf(path: CommandPath): readonly OptionSpec[] {
  const spec: CommandSpec = COMMANDS[path];
  return spec.common ? [...COMMON_OPTIONS, ...(spec.options ?? [])] : (spec.options ?? []);
}

/** The key an option's value has in `opts`, as commander names it: --allow-rollback, allowRollback. */
export function attributeName(option: OptionSpec): string {
  return option.long.replace(/-(.)/g, (_, c: string) => c.toUpperCase());
}

// The types below are the table read at compile time: each command's function takes
// exactly what its options and arguments say, and nothing the table does not declare.

type Camel<S extends string> = S extends `${infer Head}-${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;

type ValueOf<O extends OptionSpec> = O extends { readonly choices: readonly (infer C)[] }
  ? C
  : O extends { readonly value: string }
    ? string
    : boolean;

/** Options with a default are always there; the others only when given. */
type OptionsFrom<O extends OptionSpec> = Simplify<
  { [K in O as K extends { readonly default: string } ? never : Camel<K["long"]>]?: ValueOf<K> } & {
    [K in O as K extends { readonly default: string } ? Camel<K["long"]> : never]: ValueOf<K>;
  }
>;

type Simplify<T> = { [K in keyof T]: T[K] } & {};

type Spec<P extends CommandPath> = (typeof COMMANDS)[P];
type OwnOptionsOf<P extends CommandPath> = Spec<P> extends { readonly options: readonly (infer O extends OptionSpec)[] } ? O : never;
type CommonOf<P extends CommandPath> = Spec<P> extends { readonly common: true } ? (typeof COMMON_OPTIONS)[number] : never;

export type CommonOptions = OptionsFrom<(typeof COMMON_OPTIONS)[number]>;

/** What commander hands a command's action as its options, e.g. OptionsOf<"run">. */
export type OptionsOf<P extends CommandPath> = OptionsFrom<OwnOptionsOf<P> | CommonOf<P>>;

type ArgumentValue<U extends string> = U extends `${string}...${string}` ? string[] : U extends `<${string}` ? string : string | undefined;

/** What commander hands a command's action before its options: ["NAME", "VALUE" or undefined] for set. */
export type ArgumentsOf<P extends CommandPath> = Spec<P> extends { readonly args: infer A extends readonly ArgumentSpec[] }
  ? { -readonly [I in keyof A]: A[I] extends { readonly usage: infer U extends string } ? ArgumentValue<U> : never }
  : [];
