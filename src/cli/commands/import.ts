import { readFileSync } from "node:fs";
import { parseDotenvText } from "../../dotenv-parse.js";
import { checkSecret, dotenvxEncryptedNames, dotenvxValues, readStoredSecrets, setSecrets, type DotenvxValues } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { isSecretName } from "../../names.js";
import { readStdin } from "../context.js";
import type { OptionsOf } from "../grammar.js";
import { secretsFromDotenv } from "../dotenv-secrets.js";
import { warnUnresolved } from "../template-warnings.js";
import { note } from "../output.js";
import { progress } from "../progress.js";
import { audited } from "../audited.js";
import { openUnlocked } from "../unlock.js";

type ImportOptions = OptionsOf<"import">;

/**
 * Reads dotenv syntax with dotenv's own parser: a file imports as exactly what dotenv would
 * load. With --expand, `${...}` in unquoted and double-quoted values become templates, as
 * dotenv-expand and dotenvx would read them. With --from dotenvx, its `encrypted:` values
 * are decrypted first (the domain finds the key); without it, they are refused.
 */
export async function importCommand(file: string, opts: ImportOptions): Promise<void> {
  const text = file === "-" ? await readStdin() : readText(file);
  const parsed = parseDotenvText(text);
  const dotenvx = opts.from === "dotenvx" ? await dotenvxValues(parsed, { file: file === "-" ? undefined : file, environ: process.env }) : undefined;
  if (!dotenvx) refuseEncrypted(file, parsed);
  const entries = secretsFromDotenv(text, dotenvx?.values ?? parsed, Boolean(opts.expand));
  const invalid = Object.keys(entries).filter((n) => !isSecretName(n));
  if (invalid.length) {
    throw new VaultError("usage", `${file} has names that are not environment variable names: ${invalid.join(", ")}`, "rename them (letters, digits and _), then import again");
  }
  for (const [name, secret] of Object.entries(entries)) checkSecret(name, secret);
  const count = Object.keys(entries).length;
  if (count === 0) throw new VaultError("usage", `${file} holds no variables`, "check that it is in dotenv syntax (NAME=value)");
  const u = await openUnlocked(opts);
  const changed = await setSecrets(u.v, u.envName, u.keys, entries, { onProgress: progress(`importing into ${u.envName}`) });
  await audited("import", u.v, u.envName, { names: changed });
  warnUnresolved({ ...readStoredSecrets(u.v.doc, u.envName, u.keys), ...entries }, Object.keys(entries));
  note(`imported ${count} secret(s) into ${u.envName} (${changed.length} new or changed)`);
  if (dotenvx) noteDotenvx(file, count, dotenvx);
  else if (file !== "-") note(`${file} still holds them in plaintext: delete it once you have checked the import`);
}

function refuseEncrypted(file: string, values: Record<string, string>): void {
  const encrypted = dotenvxEncryptedNames(values);
  if (encrypted.length) {
    throw new VaultError("usage", `${file} holds values dotenvx encrypted: ${encrypted.join(", ")}`, `import it with \`vault import --from dotenvx ${file}\` to decrypt them`);
  }
}

function noteDotenvx(file: string, count: number, { decrypted, keysFile }: DotenvxValues): void {
  const plain = count - decrypted.length;
  if (file === "-") return;
  if (plain > 0) note(`${file} still holds ${plain} of them in plaintext`);
  if (decrypted.length === 0) return;
  const keys = keysFile ?? "the .env.keys (or wherever its private key is kept)";
  note(`${file} holds ${decrypted.length} of them encrypted to its dotenvx key: once you have moved over, delete it and ${keys}, which holds the private key`);
}

function readText(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    throw new VaultError("not_found", `cannot read ${file}`, "check the path");
  }
}
