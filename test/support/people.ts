/**
 * People with machines of their own: a HOME with an identity and a memory of verified
 * keys, running the real `vault` in any folder, and what their identity can open.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { deriveKeys, openSealed, parseIdentity, parseRecipient } from "../../src/crypto/index.js";
import type { KeySlot } from "../../src/format/index.js";
import { workspace, type Result, type Workspace } from "./cli.js";
import { readDoc } from "./tamper.js";

export interface Person {
  name: string;
  /** This person's machine: a HOME with their identity file and known-vaults.json. */
  w: Workspace;
  recipient: string;
  publicKey: Uint8Array;
  /** The private half, as `VAULT_IDENTITY` takes it (for the same person on a new machine). */
  identity: string;
}

export function person(name: string): Person {
  const w = workspace();
  const r = w.vault(["identity", "new"]);
  if (r.code !== 0) throw new Error(`identity new failed: ${r.stderr}`);
  const recipient = r.stdout.trim();
  const identity = readFileSync(path.join(w.home, ".config", "sealenv", "identity"), "utf8").trim();
  return { name, w, recipient, publicKey: parseRecipient(recipient).publicKey, identity };
}

/** The same person on a machine that has never seen the vault: a fresh HOME, the identity in VAULT_IDENTITY. */
export function newMachine(p: Person): Person {
  return { ...p, w: workspace({ VAULT_IDENTITY: p.identity }) };
}

export const as = (p: Person, cwd: string, args: string[], env: Record<string, string | undefined> = {}, input?: string): Result =>
  p.w.vault(args, { cwd, env, ...(input === undefined ? {} : { input }) });

/** `vault run -- node -e 'console.log(process.env.NAME)'`: what a member's program receives. */
export const probe = (p: Person, cwd: string, name: string, extra: string[] = [], env: Record<string, string | undefined> = {}): Result =>
  as(p, cwd, ["run", ...extra, "--", process.execPath, "-e", `console.log(process.env.${name} ?? "unset")`], env);

const keyIdOfSlot = (p: Person, slot: KeySlot): string | undefined => {
  if (slot.type !== "recipient") return undefined;
  const key = openSealed(slot.box, parseIdentity(p.identity, "test"));
  return key ? deriveKeys(key).keyId : undefined;
};

/** Whether `p`'s identity opens any slot of the environment to its current key. */
export function holdsCurrentKey(p: Person, file: string, envName: string): boolean {
  const env = readDoc(file).environments[envName]!;
  return env.slots.some((s) => keyIdOfSlot(p, s) === env.keyId);
}
