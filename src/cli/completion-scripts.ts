import type { Command } from "commander";

interface Spec {
  /** "get", or "env add" for a subcommand. */
  path: string;
  flags: string[];
  takesSecret: boolean;
}

const SECRET_COMMANDS = new Set(["get", "set", "rm", "resolve"]);

/** The completion script for `shell`, or undefined for a shell we have none for. */
export function completionScript(shell: string, program: Command): string | undefined {
  const all = specs(program);
  const top = all.filter((s) => !s.path.includes(" ")).map((s) => s.path);
  const subsOf = (parent: string) => all.filter((s) => s.path.startsWith(`${parent} `) && s.path.split(" ").length === 2).map((s) => s.path.split(" ")[1] as string);
  if (shell === "bash" || shell === "zsh") return bashScript(all, top, subsOf, shell === "zsh");
  if (shell === "fish") return fishScript(all, top, subsOf);
  return undefined;
}

/** Commands and their flags, read from the real program so completion never drifts from it. */
function specs(program: Command): Spec[] {
  const out: Spec[] = [];
  const visit = (cmd: Command, prefix: string) => {
    for (const sub of cmd.commands) {
      const name = sub.name();
      if (name === "help" || (sub as unknown as { _hidden?: boolean })._hidden) continue;
      const path = prefix ? `${prefix} ${name}` : name;
      out.push({ path, flags: sub.options.map((o) => o.long).filter((f): f is string => Boolean(f)), takesSecret: SECRET_COMMANDS.has(path) });
      visit(sub, path);
    }
  };
  visit(program, "");
  return out;
}

function bashScript(all: Spec[], top: string[], subsOf: (p: string) => string[], zsh: boolean): string {
  const flagCases = all.map((s) => `    "${s.path}") flags="${s.flags.join(" ")}" ;;`).join("\n");
  const subCases = top.filter((t) => subsOf(t).length).map((t) => `    ${t}) subs="${subsOf(t).join(" ")}" ;;`).join("\n");
  return `${zsh ? "# zsh: uses bash completion support (and loads compinit if the shell has not)\n(( $+functions[compdef] )) || { autoload -U +X compinit && compinit -u; }\nautoload -U +X bashcompinit && bashcompinit\n" : ""}# vault completion: eval "$(vault completion ${zsh ? "zsh" : "bash"})"
_vault_complete() {
  local cur prev cmd cmdpath subs flags
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  if [ "$prev" = "--env" ]; then
    COMPREPLY=( $(compgen -W "$(vault __complete envs 2>/dev/null)" -- "$cur") ); return
  fi
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${top.join(" ")}" -- "$cur") ); return
  fi
  subs=""
  case "$cmd" in
${subCases}
  esac
  cmdpath="$cmd"
  if [ -n "$subs" ]; then
    if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=( $(compgen -W "$subs" -- "$cur") ); return; fi
    cmdpath="$cmd \${COMP_WORDS[2]}"
  fi
  flags=""
  case "$cmdpath" in
${flagCases}
  esac
  if [ "\${cur#-}" != "$cur" ]; then COMPREPLY=( $(compgen -W "$flags" -- "$cur") ); return; fi
  case "$cmdpath" in
    ${all.filter((s) => s.takesSecret).map((s) => s.path).join("|")}) COMPREPLY=( $(compgen -W "$(vault __complete secrets 2>/dev/null)" -- "$cur") ) ;;
    "env rm"|"env default") COMPREPLY=( $(compgen -W "$(vault __complete envs 2>/dev/null)" -- "$cur") ) ;;
  esac
}
complete -F _vault_complete vault sealenv`;
}

function fishScript(all: Spec[], top: string[], subsOf: (p: string) => string[]): string {
  const lines = [`# vault completion: vault completion fish | source`, "complete -c vault -f", `complete -c vault -n __fish_use_subcommand -a "${top.join(" ")}"`];
  for (const t of top) {
    const subs = subsOf(t);
    if (subs.length) lines.push(`complete -c vault -n "__fish_seen_subcommand_from ${t}; and not __fish_seen_subcommand_from ${subs.join(" ")}" -a "${subs.join(" ")}"`);
  }
  for (const s of all) {
    const last = s.path.split(" ").pop() as string;
    for (const flag of s.flags) {
      const name = flag.replace(/^--/, "");
      const values = name === "env" ? ` -x -a "(vault __complete envs 2>/dev/null)"` : "";
      lines.push(`complete -c vault -n "__fish_seen_subcommand_from ${last}" -l ${name}${values}`);
    }
    if (s.takesSecret) lines.push(`complete -c vault -n "__fish_seen_subcommand_from ${last}" -a "(vault __complete secrets 2>/dev/null)"`);
  }
  return lines.join("\n");
}
