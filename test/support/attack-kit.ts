/**
 * The cast and props of the attack tests: people with machines of their own (a HOME with an
 * identity and a memory of verified keys), team vaults written with the library as a key
 * holder would leave them, forgeries made with the same crypto and the public keys anyone
 * can read, and real git repositories where history matters.
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import {
  deriveKeys,
  newDataKey,
  newVaultId,
  openSealed,
  parseIdentity,
  parseKeyString,
  parseRecipient,
  sealToRecipient,
  sealValue,
  toB64,
  type EnvKeys,
} from "../../src/crypto/index.js";
import { parseVault, serializeVault, type Environment, type KeySlot, type RecipientSlot, type VaultDoc } from "../../src/format/index.js";
import { workspace, type Result, type Workspace } from "./cli.js";
import { keyedEnvironment, reseal } from "./environments.js";

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

export const DEV = { API_URL: "https://api.internal.example", DB_PASSWORD: "dev-password-1234", X: "the-real-x-value" };
export const PROD = { API_URL: "https://api.example.com", DB_PASSWORD: "prod-password-5678", X: "the-real-prod-x" };
/** What an attacker wants a member's program to receive; NODE_OPTIONS would run code in any node child. */
export const EVIL = { X: "attacker-chosen-x", NODE_OPTIONS: "--import=data:text/javascript,console.log(`PWNED`)" };
export const EVIL_MARKS = ["attacker-chosen-x", "PWNED"];

export function expectNoneOf(r: Pick<Result, "stdout" | "stderr">, marks: string[]): void {
  for (const m of marks) {
    expect(r.stdout).not.toContain(m);
    expect(r.stderr).not.toContain(m);
  }
}

/** A refusal: the exit code, nothing on stdout, and no value of `marks` anywhere. */
export function expectRefused(r: Result, code: number, marks: string[] = []): void {
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code, stdout: "" });
  expect(r.stderr).not.toContain("unexpected");
  expectNoneOf(r, marks);
}

export const slotFor = (p: Person, dataKey: Uint8Array, label = p.name): RecipientSlot => ({
  type: "recipient",
  member: label,
  kind: "sealenv",
  pk: toB64(p.publicKey),
  box: sealToRecipient(dataKey, p.publicKey),
});

export function sealAll(keys: EnvKeys, vaultId: string, envName: string, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, sealValue(keys, { vaultId, env: envName, name }, value)]));
}

export interface Team {
  doc: VaultDoc;
  keys: Record<string, EnvKeys>;
}

export type Spec = Record<string, { members: Person[]; values: Record<string, string>; slots?: (keys: EnvKeys) => KeySlot[] }>;

/** A vault as its key holder writes it: one fresh key per environment, sealed to the members. */
export function buildVault(spec: Spec, defaultEnv = "development", id = newVaultId()): Team {
  const keys: Record<string, EnvKeys> = {};
  const environments: Record<string, Environment> = {};
  for (const [envName, { members, values, slots }] of Object.entries(spec)) {
    const k = deriveKeys(newDataKey());
    keys[envName] = k;
    environments[envName] = keyedEnvironment(k, { vaultId: id, envName, isDefault: envName === defaultEnv }, {
      slots: slots ? slots(k) : members.map((p) => slotFor(p, k.dataKey)),
      secrets: sealAll(k, id, envName, values),
    });
  }
  return { doc: { version: 1, id, defaultEnv, environments }, keys };
}

/** An environment made by someone holding no key of it: a fresh key of their own, sealed to public keys. */
export function forgedEnvironment(keys: EnvKeys, vaultId: string, envName: string, isDefault: boolean, members: Person[], values: Record<string, string>, fields: Partial<Environment> = {}): Environment {
  return keyedEnvironment(keys, { vaultId, envName, isDefault }, {
    slots: members.map((p) => slotFor(p, keys.dataKey)),
    secrets: sealAll(keys, vaultId, envName, values),
    ...fields,
  });
}

/** The file as JSON, for edits by hand. */
export interface RawEnv {
  generation: number;
  keyId: string;
  /** Slots as found, or as an attacker writes them (any field, any value). */
  slots: (KeySlot | Record<string, unknown>)[];
  secrets: Record<string, string>;
  mac: string;
}
export interface RawVault {
  id: string;
  default: string;
  environments: Record<string, RawEnv>;
}

export function editByHand(file: string, change: (doc: RawVault) => void): string {
  const doc = JSON.parse(readFileSync(file, "utf8")) as RawVault;
  change(doc);
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  writeFileSync(file, text);
  return text;
}

export const readDoc = (file: string): VaultDoc => parseVault(readFileSync(file, "utf8"));

export interface Repo {
  dir: string;
  file: string;
}

export function gitRun(p: Person, cwd: string, args: string[], env: Record<string, string | undefined> = {}) {
  const who = { GIT_AUTHOR_NAME: p.name, GIT_AUTHOR_EMAIL: `${p.name}@example.com`, GIT_COMMITTER_NAME: p.name, GIT_COMMITTER_EMAIL: `${p.name}@example.com` };
  const full: NodeJS.ProcessEnv = { ...p.w.env, ...who, ...env };
  for (const [k, v] of Object.entries(full)) if (v === undefined) delete full[k];
  const r = spawnSync("git", args, { cwd, env: full, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function git(p: Person, cwd: string, args: string[], env: Record<string, string | undefined> = {}): string {
  const r = gitRun(p, cwd, args, env);
  if (r.code !== 0) throw new Error(`git ${args.join(" ")} failed (${r.code}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

export const commit = (p: Person, repo: Repo, message: string) => {
  git(p, repo.dir, ["add", "-A"]);
  git(p, repo.dir, ["commit", "-qm", message]);
};

/** What mallory does with the key she kept: seal values and re-MAC the environment, as any old build of sealenv would. */
export function writeWithOldKey(file: string, oldKey: string, values: Record<string, string>): void {
  const doc = parseVault(readFileSync(file, "utf8"));
  const keys = deriveKeys(parseKeyString(oldKey, "mallory's old key").dataKey);
  const env = doc.environments.development!;
  for (const [name, value] of Object.entries(values)) env.secrets[name] = sealValue(keys, { vaultId: doc.id, env: "development", name }, value);
  reseal(doc, "development", keys);
  writeFileSync(file, serializeVault(doc));
}

/** A project folder holding the team's vault; with `git`, a repository set up by `owner` (`vault git setup`) and committed. */
export function project(owner: Person, team: Team, options: { git?: boolean; diffValues?: boolean } = {}): Repo {
  const dir = workspace().dir;
  const repo = { dir, file: path.join(dir, "secrets.vault") };
  writeFileSync(repo.file, serializeVault(team.doc));
  if (options.git) {
    git(owner, dir, ["init", "-q", "-b", "main"]);
    const setup = as(owner, dir, ["git", "setup", ...(options.diffValues ? ["--diff-values"] : [])]);
    expect(setup.code).toBe(0);
    commit(owner, repo, "vault");
  }
  return repo;
}

/** A fresh clone on another machine: a new HOME, a new folder, `git clone`. */
export function freshClone(p: Person, repo: Repo): { who: Person; repo: Repo } {
  const who = newMachine(p);
  const dir = path.join(who.w.dir, "app");
  git(who, who.w.dir, ["clone", "-q", repo.dir, dir]);
  return { who, repo: { dir, file: path.join(dir, "secrets.vault") } };
}

/** Each member's program receives the real value: the machine has verified the environment. */
export function expectReceives(people: Person[], repo: Repo, name: string, value: string, extra: string[] = []): void {
  for (const p of people) {
    const r = probe(p, repo.dir, name, extra);
    expect({ who: p.name, code: r.code, stdout: r.stdout }).toEqual({ who: p.name, code: 0, stdout: `${value}\n` });
  }
}

export const keyIdOfSlot = (p: Person, slot: KeySlot): string | undefined => {
  if (slot.type !== "recipient") return undefined;
  const key = openSealed(slot.box, parseIdentity(p.identity, "test"));
  return key ? deriveKeys(key).keyId : undefined;
};

/** Whether `p`'s identity opens any slot of the environment to its current key. */
export function holdsCurrentKey(p: Person, file: string, envName: string): boolean {
  const env = readDoc(file).environments[envName]!;
  return env.slots.some((s) => keyIdOfSlot(p, s) === env.keyId);
}

