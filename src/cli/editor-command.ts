import { spawnSync } from "node:child_process";

/**
 * Which editor `vault edit` starts, and the options it adds so the editor leaves no copy
 * of the plaintext outside the private folder.
 *
 * Vim writes, by default or by a common vimrc, a swap file (`-n` stops it), a persistent
 * undo file, a backup, and a viminfo (nvim: shada) file holding registers and history,
 * the last three in the user's home where nobody removes them. The settings go in `-c`,
 * which runs after the user's vimrc: a `--cmd` would run before it and lose to a vimrc's
 * `set undofile`. In nvim, `-i NONE` turns shada off and 'viminfo' is an alias of 'shada'.
 */
const VIM_OPTIONS = ["-n", "-i", "NONE", "-c", "set noundofile nobackup nowritebackup viminfo="];

/** Always Vim or Neovim. The GUI ones fork into the background unless `-f`, and we must wait. */
const VIMS = new Set(["vim", "nvim", "rvim", "rview"]);
const GUI_VIMS = new Set(["gvim", "gview", "mvim"]);
/** Vim on most systems, but BusyBox's vi (Alpine) or nvi (BSD) elsewhere, which refuse Vim's options. */
const MAYBE_VIMS = new Set(["vi", "view"]);

export function chosenEditor(environ: NodeJS.ProcessEnv): string {
  return environ.VISUAL || environ.EDITOR || (process.platform === "win32" ? "notepad" : "vi");
}

/** The options to put before the file name for this editor command (a shell command line). */
export function editorOptions(editor: string, environ: NodeJS.ProcessEnv): string[] {
  const program = programOf(editor);
  const name = program.split(/[\\/]/).pop()?.replace(/\.exe$/i, "") ?? "";
  if (VIMS.has(name)) return VIM_OPTIONS;
  if (GUI_VIMS.has(name)) return ["-f", ...VIM_OPTIONS];
  if (MAYBE_VIMS.has(name) && isVim(program, environ)) return VIM_OPTIONS;
  return [];
}

/** The program of a command line: its first word, or a quoted first word. */
function programOf(editor: string): string {
  const m = /^\s*(?:"([^"]*)"|'([^']*)'|(\S+))/.exec(editor);
  return m?.[1] ?? m?.[2] ?? m?.[3] ?? "";
}

function isVim(program: string, environ: NodeJS.ProcessEnv): boolean {
  const r = spawnSync(program, ["--version"], { env: environ, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 5000 });
  return r.status === 0 && /^N?VIM\b/.test(r.stdout);
}
