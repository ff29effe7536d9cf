import { homedir } from "node:os";
import path from "node:path";

/** The user's sealenv folder, outside any repository: $XDG_CONFIG_HOME/sealenv, ~/.config/sealenv, %APPDATA%\sealenv. */
export function configDir(environ: NodeJS.ProcessEnv): string {
  if (environ.XDG_CONFIG_HOME) return path.join(environ.XDG_CONFIG_HOME, "sealenv");
  if (process.platform === "win32" && environ.APPDATA) return path.join(environ.APPDATA, "sealenv");
  return path.join(environ.HOME || homedir(), ".config", "sealenv");
}
