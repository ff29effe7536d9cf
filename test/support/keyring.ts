import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ROOT } from "./cli.js";

export interface Keyring {
  /** DBUS_SESSION_BUS_ADDRESS of the private session holding the keyring. */
  address: string;
  stop(): Promise<void>;
}

/**
 * A real gnome-keyring (Secret Service) in a private D-Bus session of its own, with a
 * fresh unlocked login keyring: what a developer's desktop session provides.
 */
export function startKeyring(): Promise<Keyring> {
  const dir = mkdtempSync(path.join(tmpdir(), "sealenv-keyring-"));
  const child: ChildProcess = spawn("dbus-run-session", ["--", "bash", path.join(ROOT, "test/support/keyring-session.sh"), dir], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    child.on("error", (e) => reject(new Error(`cannot start dbus-run-session (install dbus and gnome-keyring): ${e.message}`)));
    child.on("exit", (code) => reject(new Error(`keyring session ended (${code}): ${err}`)));
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      const m = /DBUS_SESSION_BUS_ADDRESS=(\S+)/.exec(out);
      if (m) {
        resolve({
          address: m[1]!,
          stop: () =>
            new Promise<void>((done) => {
              child.removeAllListeners("exit");
              child.on("exit", () => done());
              child.stdin!.end();
            }),
        });
      }
    });
  });
}
