import { existsSync } from "node:fs";
import path from "node:path";
import { VaultError } from "../errors.js";

/**
 * The OS keychain, one entry per (vault, environment) holding a key string. The native
 * binding loads only when a command reaches the keychain, so `vault run` with VAULT_KEY
 * never pays for it. On Linux the entry is pinned to the Secret Service: the fallback,
 * the kernel keyring, forgets everything at reboot.
 */
const SERVICE = "sealenv";

type Entry = import("@napi-rs/keyring").Entry;

export function keychainAccount(vaultId: string, env: string): string {
  return `${vaultId}/${env}`;
}

async function entry(account: string): Promise<Entry> {
  const { Entry } = await import("@napi-rs/keyring");
  return new Entry(SERVICE, account, { linux: { store: "secret-service" } });
}

class KeychainUnavailable extends VaultError {
  constructor(detail: string) {
    super(
      "keychain_unavailable",
      `no keychain on this machine (${detail})`,
      "on a headless machine use a passphrase (`--passphrase`, VAULT_PASSPHRASE) or a key string in VAULT_KEY",
    );
  }
}

function explain(err: unknown): VaultError {
  const message = err instanceof Error ? err.message : String(err);
  if (/dbus|DBUS_SESSION_BUS_ADDRESS|secret service|org\.freedesktop/i.test(message)) {
    return new KeychainUnavailable("no D-Bus session or Secret Service");
  }
  if (/locked/i.test(message)) return new KeychainUnavailable("the keyring is locked");
  return new KeychainUnavailable(message.split("\n")[0] ?? "unknown failure");
}

async function attempt<T>(fn: (e: Entry) => T, account: string): Promise<T> {
  try {
    return fn(await entry(account));
  } catch (err) {
    throw explain(err);
  }
}

/**
 * False when asking is sure to fail: Linux with no session bus to find (no
 * DBUS_SESSION_BUS_ADDRESS, no $XDG_RUNTIME_DIR/bus), as on servers and in CI. A command
 * on the hot path checks this first: loading the native binding only to hear
 * "unavailable" costs 10-25 ms. Reads process.env, which is what the binding reads.
 */
export function keychainMayAnswer(): boolean {
  if (process.platform !== "linux" || process.env.DBUS_SESSION_BUS_ADDRESS) return true;
  const runtime = process.env.XDG_RUNTIME_DIR;
  return Boolean(runtime && existsSync(path.join(runtime, "bus")));
}

/** One entry held open: each Entry opens its own D-Bus connection (10-20 ms), so a read then a write share one. */
export interface KeychainEntry {
  get(): string | undefined;
  set(value: string): void;
}

/** Throws KeychainUnavailable when the keychain cannot be reached; so may each get and set. */
export async function keychainEntry(account: string): Promise<KeychainEntry> {
  const e = await attempt((x) => x, account);
  const guard = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw explain(err);
    }
  };
  return { get: () => guard(() => e.getPassword() ?? undefined), set: (value) => guard(() => e.setPassword(value)) };
}

export function keychainGet(account: string): Promise<string | undefined> {
  return attempt((e) => e.getPassword() ?? undefined, account);
}

export function keychainSet(account: string, value: string): Promise<void> {
  return attempt((e) => e.setPassword(value), account);
}

/** True when an entry existed and was removed. */
export function keychainDelete(account: string): Promise<boolean> {
  return attempt((e) => e.deletePassword(), account);
}

/** Which store the keychain is, and whether it answers: for `vault doctor`. */
export async function keychainStatus(): Promise<{ store: string; reachable: boolean; detail?: string }> {
  const store = process.platform === "darwin" ? "macOS Keychain" : process.platform === "win32" ? "Windows Credential Manager" : "Secret Service (D-Bus)";
  try {
    await keychainGet("doctor-probe");
    return { store, reachable: true };
  } catch (err) {
    return { store, reachable: false, detail: err instanceof Error ? err.message : String(err) };
  }
}
