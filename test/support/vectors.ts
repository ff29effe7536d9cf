import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseVault } from "../../src/format/index.js";
import { openEnvironment } from "../../src/vault/open.js";
import { readRawSecrets } from "../../src/vault/secrets.js";
import { outcomeOf } from "./errors.js";

export interface Vector {
  file: string;
  header: Record<string, string>;
  body: string;
}

/** The outcome classes a vector can name; each maps to exactly one error code family. */
const CLASS_OF: Record<string, string> = {
  bad_vault: "format",
  unsupported_version: "version",
  kdf_bounds: "kdf",
  integrity: "integrity",
  wrong_key: "wrong-key",
  stale_key: "stale-key",
  other_env_key: "other-env-key",
  bad_key_string: "bad-key-string",
  no_key: "no-key",
  keychain_unavailable: "no-key",
  rolled_back: "rolled-back",
  replaced: "replaced",
};

export function readVectors(dir: string): Vector[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".vector"))
    .sort()
    .map((f) => {
      const text = readFileSync(path.join(dir, f), "utf8");
      const split = text.indexOf("\n\n");
      const header = Object.fromEntries(
        text
          .slice(0, split)
          .split("\n")
          .map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]),
      );
      return { file: f, header, body: text.slice(split + 2) };
    });
}

function plaintextHash(values: Record<string, string>): string {
  const pairs = Object.keys(values)
    .sort()
    .map((k) => [k, values[k]]);
  return createHash("sha256").update(JSON.stringify(pairs)).digest("hex");
}

/** Reads a vector as any reader would: parse, find the key from the header, verify, open every value. */
export async function runVector(v: Vector): Promise<{ outcome: string; sha256?: string; message?: string }> {
  const environ: NodeJS.ProcessEnv = { HOME: mkdtempSync(path.join(tmpdir(), "sealenv-vector-")) };
  if (v.header.key !== undefined) environ.VAULT_KEY = v.header.key;
  if (v.header.identity !== undefined) environ.VAULT_IDENTITY = v.header.identity;
  if (v.header.passphrase !== undefined) environ.VAULT_PASSPHRASE = v.header.passphrase;
  const { value, error } = await outcomeOf(async () => {
    const doc = parseVault(v.body, v.file);
    const env = v.header.env ?? doc.defaultEnv;
    const found = await openEnvironment({ cwd: "/", environ }, { file: v.file, doc }, env, { atLocation: false });
    return readRawSecrets(doc, env, found.keys);
  });
  if (error) return { outcome: CLASS_OF[error.code] ?? `unexpected:${error.code}`, message: error.message };
  return { outcome: "success", sha256: plaintextHash(value) };
}
