import { readFileSync } from "node:fs";
import path from "node:path";
import type { DotenvxKey } from "../crypto/dotenvx.js";
import { parseDotenvText } from "../dotenv-parse.js";
import { VaultError } from "../errors.js";

/**
 * Moving over from dotenvx: which values of a dotenvx file are encrypted, where its private
 * key is (found the way dotenvx finds it), and the plaintext to import. The ECIES itself is
 * src/crypto/dotenvx.ts, loaded only here and only when a value needs it. Never prints; the
 * key is never in a message, and its bytes are wiped once the values are open.
 */
const PREFIX = "encrypted:";
const PUBLIC_KEY_NAME = /^DOTENV_PUBLIC_KEY/;
const DEFAULT_KEY_NAME = "DOTENV_PRIVATE_KEY";

/** The names whose values dotenvx encrypted (`encrypted:...`), in file order. */
export function dotenvxEncryptedNames(values: Record<string, string>): string[] {
  return Object.keys(values).filter((name) => (values[name] as string).startsWith(PREFIX));
}

/** Where the dotenvx file came from: its path (none for stdin), and the variables to look in. */
export interface DotenvxSource {
  file: string | undefined;
  environ: Readonly<Record<string, string | undefined>>;
}

export interface DotenvxValues {
  /** Every variable dotenv read, decrypted, without dotenvx's DOTENV_PUBLIC_KEY* entries. */
  values: Record<string, string>;
  /** The names that were encrypted. */
  decrypted: string[];
  /** The .env.keys file the key came from, when it came from one. */
  keysFile?: string;
}

/**
 * The values of a dotenvx file, decrypted with its private key: the variable
 * DOTENV_PRIVATE_KEY_<ENV> (ENV named as dotenvx names it), then DOTENV_PRIVATE_KEY, then
 * that name in the .env.keys beside the file. The first place that has one is used; a
 * comma-separated list of keys is tried in turn, as dotenvx does. Looks for no key when
 * nothing is encrypted.
 */
export async function dotenvxValues(values: Record<string, string>, source: DotenvxSource): Promise<DotenvxValues> {
  const out = Object.create(null) as Record<string, string>;
  for (const [name, value] of Object.entries(values)) if (!PUBLIC_KEY_NAME.test(name)) out[name] = value;
  const decrypted = dotenvxEncryptedNames(out);
  if (decrypted.length === 0) return { values: out, decrypted };
  const keyName = dotenvxPrivateKeyName(source.file, values);
  const found = findKey(keyName, source);
  const { dotenvxKeyOf, openDotenvxValue } = await import("../crypto/dotenvx.js");
  const keys: DotenvxKey[] = [];
  try {
    for (const hex of found.text.split(",").map((k) => k.trim())) {
      const key = dotenvxKeyOf(hex);
      if (!key) throw new VaultError("bad_key_string", `${found.from} is not a dotenvx private key (64 hex digits)`, `copy ${keyName} again from the .env.keys dotenvx wrote`);
      keys.push(key);
    }
    for (const name of decrypted) {
      const opened = openDotenvxValue(keys, (out[name] as string).slice(PREFIX.length));
      if ("value" in opened) {
        out[name] = opened.value;
        continue;
      }
      if (opened.problem === "malformed") {
        throw new VaultError("usage", `${name} is not a value dotenvx encrypted (malformed after "encrypted:")`, `restore it from git, or encrypt it again with \`dotenvx set ${name}\``);
      }
      throw new VaultError("wrong_key", `the dotenvx private key from ${found.from} does not decrypt ${name}`, `use the key dotenvx wrote for this file: ${keyName} in the .env.keys beside it`);
    }
  } finally {
    for (const key of keys) key.wipe();
  }
  return found.keysFile === undefined ? { values: out, decrypted } : { values: out, decrypted, keysFile: found.keysFile };
}

/**
 * The private key's name, as dotenvx derives it: from the file's DOTENV_PUBLIC_KEY* entry
 * when it has one, else from the file name (`.env` DOTENV_PRIVATE_KEY, `.env.production`
 * DOTENV_PRIVATE_KEY_PRODUCTION, `.env.production.local` DOTENV_PRIVATE_KEY_PRODUCTION_LOCAL).
 */
export function dotenvxPrivateKeyName(file: string | undefined, values: Record<string, string>): string {
  const publicName = Object.keys(values).find((name) => PUBLIC_KEY_NAME.test(name));
  if (publicName !== undefined) return publicName.replace("DOTENV_PUBLIC_KEY", DEFAULT_KEY_NAME);
  let filename = path.basename(file ?? ".env").toLowerCase();
  if (filename.startsWith(".env") && filename.endsWith(".txt")) filename = filename.slice(0, -4);
  if (filename === ".env") return DEFAULT_KEY_NAME;
  const rest = filename.split(".").slice(2);
  const environment = rest.length === 0 ? filename.replace(".env", "development") : rest.slice(0, 2).join("_");
  return `${DEFAULT_KEY_NAME}_${environment.toUpperCase()}`;
}

interface FoundKey {
  text: string;
  /** Where it was found, for messages: a variable's name, or a name in a file. */
  from: string;
  keysFile?: string;
}

function findKey(keyName: string, source: DotenvxSource): FoundKey {
  const variables = [...new Set([keyName, DEFAULT_KEY_NAME])];
  for (const variable of variables) {
    const text = source.environ[variable];
    if (text !== undefined && text.trim() !== "") return { text, from: variable };
  }
  if (source.file !== undefined) {
    const keysFile = path.join(path.dirname(source.file), ".env.keys");
    const text = readKeysFile(keysFile)?.[keyName];
    if (text !== undefined && text.trim() !== "") return { text, from: `${keyName} in ${keysFile}`, keysFile };
    throw new VaultError(
      "no_key",
      `no dotenvx private key for ${source.file}: looked in ${variables.join(", ")} and ${keyName} in ${keysFile}`,
      `set ${keyName} to the key dotenvx wrote, or put its .env.keys beside ${path.basename(source.file)}`,
    );
  }
  throw new VaultError(
    "no_key",
    `no dotenvx private key for stdin: looked in ${variables.join(", ")} (stdin has no .env.keys beside it)`,
    `set ${keyName} to the key from the .env.keys dotenvx wrote, or import the file by its path`,
  );
}

function readKeysFile(file: string): Record<string, string> | undefined {
  try {
    return parseDotenvText(readFileSync(file, "utf8"));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new VaultError("io", `cannot read ${file}`, "check its permissions");
  }
}
