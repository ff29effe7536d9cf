import { spawn } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { withoutCredentials } from "../credentials.js";
import { VaultError } from "../errors.js";
import { trustedPath } from "../programs.js";
import { makeEditFolder, removeAbandonedEditFolders } from "./edit-folder.js";
import { chosenEditor, editorOptions } from "./editor-command.js";

/**
 * A private place for plaintext while an editor has it: a 0700 folder (in RAM under
 * /dev/shm where it exists) holding one 0600 file, removed on every way out: normal
 * return, error, the editor killed by Ctrl-C, and SIGTERM/SIGHUP aimed at us. SIGKILL
 * leaves it behind; the next session removes it (see edit-folder.ts).
 */
export interface EditSession {
  file: string;
  /** Opens the editor on the file; resolves when it exits successfully. */
  edit(): Promise<void>;
  read(): string;
  write(text: string): void;
  close(): void;
}

export function openEditSession(name: string, text: string): EditSession {
  removeAbandonedEditFolders();
  const dir = makeEditFolder();
  const file = path.join(dir, name);
  writeFileSync(file, text, { mode: 0o600, flag: "wx" });
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    rmSync(dir, { recursive: true, force: true });
    process.off("exit", close);
    process.off("SIGTERM", onTerm);
    process.off("SIGHUP", onTerm);
    process.off("SIGINT", onInt);
  };
  const onTerm = (signal: NodeJS.Signals) => {
    close();
    process.kill(process.pid, signal);
  };
  // Ctrl-C belongs to the editor while it runs; if it dies of it, edit() rejects and we clean up.
  const onInt = () => undefined;
  process.on("exit", close);
  process.on("SIGTERM", onTerm);
  process.on("SIGHUP", onTerm);
  process.on("SIGINT", onInt);

  return {
    file,
    edit: () => runEditor(file),
    read: () => readFileSync(file, "utf8"),
    write: (next) => writeFileSync(file, next, { mode: 0o600 }),
    close,
  };
}

function runEditor(file: string): Promise<void> {
  const editor = chosenEditor(process.env);
  // The editor is the user's program, and may run plugins and shells: it gets no key of
  // sealenv's, and it is looked up on the trusted PATH, as the plaintext is within its reach.
  const env: NodeJS.ProcessEnv = { ...withoutCredentials(process.env), PATH: trustedPath(process.env, process.cwd()) };
  const args = [...editorOptions(editor, env), file];
  // Through a shell, as git does, so EDITOR="code --wait" works; our arguments go in as "$@", beyond the reach of its quoting.
  const child =
    process.platform === "win32"
      ? spawn([editor, ...args.map((a) => `"${a}"`)].join(" "), { stdio: "inherit", shell: true, env })
      : spawn("sh", ["-c", `${editor} "$@"`, "sh", ...args], { stdio: "inherit", env });
  const cannotStart = (why: string) =>
    new VaultError("command_not_found", `cannot start the editor ${JSON.stringify(editor)}: ${why}; nothing changed`, "set VISUAL or EDITOR to an editor installed here, e.g. `EDITOR=nano vault edit`");
  return new Promise((resolve, reject) => {
    child.on("error", () => reject(cannotStart("it could not be run")));
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      // The shell's own answers for a command it cannot find or run.
      else if (code === 127) reject(cannotStart("not found"));
      else if (code === 126) reject(cannotStart("not executable"));
      else reject(new VaultError("cancelled", `the editor ${signal ? `was stopped by ${signal}` : `exited with code ${code}`}: nothing changed`));
    });
  });
}
