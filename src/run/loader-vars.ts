/**
 * Variables that make the child load and run code (a preload, an interpreter option):
 * a vault that sets them decides what runs, not just what it is configured with.
 */
const EXACT = new Set([
  "NODE_OPTIONS",
  "NODE_PATH",
  "LD_PRELOAD",
  "LD_LIBRARY_PATH",
  "LD_AUDIT",
  "PYTHONPATH",
  "PYTHONSTARTUP",
  "PYTHONHOME",
  "PERL5OPT",
  "PERL5LIB",
  "RUBYOPT",
  "RUBYLIB",
  "JAVA_TOOL_OPTIONS",
  "_JAVA_OPTIONS",
  "JDK_JAVA_OPTIONS",
  "BASH_ENV",
  "ENV",
  "PROMPT_COMMAND",
  "GIT_SSH_COMMAND",
  "PATH",
]);

export function loaderVariables(names: string[]): string[] {
  return names.filter((n) => EXACT.has(n) || n.startsWith("DYLD_"));
}
