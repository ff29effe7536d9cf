import { createHash } from "node:crypto";
import { stringify } from "yaml";
import { parseDotenvText } from "../dotenv-parse.js";
import { VaultError } from "../errors.js";
import type { OptionsOf } from "./grammar.js";

/** The formats the grammar's --format accepts (commander refuses any other before this runs). */
type ExportFormat = OptionsOf<"export">["format"];

/** What a Kubernetes Secret manifest is called, and where it goes. */
export interface ManifestPlace {
  name: string;
  namespace?: string | undefined;
}

/** The whole text of an export, built before anything is printed: a value a format cannot carry fails first. */
export function formatSecrets(secrets: Record<string, string>, format: ExportFormat, place?: ManifestPlace): string {
  const names = Object.keys(secrets);
  if (format === "json") return `${JSON.stringify(secrets, null, 2)}\n`;
  if (format === "shell") return names.map((n) => `export ${n}=${shellQuote(secrets[n] as string)}\n`).join("");
  if (format === "docker") return names.map((n) => `${n}=${dockerValue(n, secrets[n] as string)}\n`).join("");
  if (format === "yaml") return flatYaml(secrets);
  if (format === "k8s") return secretManifest(secrets, place ?? { name: "secrets" });
  return names.map((n) => `${n}=${dotenvQuote(n, secrets[n] as string)}\n`).join("");
}

/** Single quotes keep everything literal in sh; a quote itself is closed, escaped, reopened. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * dotenv has no general escape: single and backtick quotes are literal (and may span
 * lines), double quotes turn \n and \r into newlines. Each candidate is checked by
 * dotenv itself, so what we write is exactly what `dotenv.parse` reads back.
 */
export function dotenvQuote(name: string, value: string): string {
  const escaped = `"${value.replace(/\n/g, "\\n").replace(/\r/g, "\\r")}"`;
  // Multi-line values go on one line where dotenv allows it, so every line of the file is NAME=value.
  const candidates = value.includes("\n") ? [escaped, `'${value}'`, `\`${value}\``] : [`'${value}'`, `\`${value}\``, escaped];
  for (const candidate of candidates) {
    if (parseDotenvText(`${name}=${candidate}\n`)[name] === value) return candidate;
  }
  throw new VaultError(
    "usage",
    `${name} cannot be written in dotenv syntax (dotenv has no escape for its mix of quotes, backslashes and line breaks)`,
    "use --format json or --format shell",
  );
}

/** bufio.Scanner's default limit: docker cannot read a longer line (the newline counts). */
const DOCKER_MAX_LINE_BYTES = 64 * 1024 - 1;

/**
 * A value as `docker run --env-file` reads it back (docker/cli pkg/kvfile): each line is
 * split at its first `=`, only the line's leading whitespace is trimmed (the name's, not
 * the value's), and the value is kept as it is: no quotes, no escapes, no comments after
 * it, so `=`, `#`, `$` and leading or trailing spaces are all fine. What the syntax cannot
 * carry is refused: a line break (a CR too, as bufio drops one before the newline); a
 * value wrapped in a pair of the same quote, which docker 28 keeps and later versions strip;
 * a line longer than docker reads.
 */
function dockerValue(name: string, value: string): string {
  const refuse = (why: string) =>
    new VaultError("usage", `${name} cannot be written for docker's --env-file: ${why}`, "use --format k8s or --format json, or mount the value as a file");
  if (/[\r\n]/.test(value)) throw refuse("its value spans lines, and the file has one variable a line");
  if (value.length >= 2 && (value[0] === "'" || value[0] === '"') && value.endsWith(value[0])) {
    throw refuse(`its value is wrapped in ${value[0]} quotes, which docker versions read differently`);
  }
  if (Buffer.byteLength(`${name}=${value}`) > DOCKER_MAX_LINE_BYTES) throw refuse("its line would be longer than docker reads (64 KiB)");
  return value;
}

/**
 * A flat map, every key and value a double-quoted scalar: the one YAML string form that no
 * reader, 1.1 or 1.2, retypes (`yes`, `0o17`, `<<`, `=`, `~`...) or folds. Escaped as JSON
 * escapes (YAML's double quotes take JSON's escapes), plus what JSON leaves raw and YAML
 * does not allow or reads as a line break: DEL, the C1 controls (NEL among them), U+2028,
 * U+2029, the BOM and U+FFFE/U+FFFF.
 */
function flatYaml(secrets: Record<string, string>): string {
  const names = Object.keys(secrets);
  if (names.length === 0) return "{}\n";
  return names.map((name) => `${yamlQuoted(name)}: ${yamlQuoted(secrets[name] as string)}\n`).join("");
}

const yamlQuoted = (text: string): string =>
  JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

/**
 * YAML written by the yaml package for YAML 1.1, so a value 1.1 readers would retype
 * (yes, no, on, 0x1F, 1:20, ~, 2001-12-14) is quoted, and 1.2 readers read the same
 * strings; no folding, so a long value stays on one line.
 */
function yamlText(data: unknown): string {
  return stringify(data, { version: "1.1", lineWidth: 0 });
}

/** What Kubernetes accepts as a Secret's data key. */
const DATA_KEY = /^[-._a-zA-Z0-9]+$/;

/** A Kubernetes Secret (v1, Opaque) holding every value base64-encoded, keys sorted so the text is stable. */
function secretManifest(secrets: Record<string, string>, place: ManifestPlace): string {
  const data: Record<string, string> = {};
  for (const name of Object.keys(secrets).sort()) {
    if (!DATA_KEY.test(name)) throw new VaultError("usage", `${name} is not a valid key of a Kubernetes Secret's data`, "rename it (letters, digits, -, _ and .)");
    data[name] = Buffer.from(secrets[name] as string, "utf8").toString("base64");
  }
  const metadata = { name: place.name, ...(place.namespace === undefined ? {} : { namespace: place.namespace }) };
  return yamlText({ apiVersion: "v1", kind: "Secret", metadata, type: "Opaque", data });
}

/** A DNS-1123 subdomain, what Kubernetes requires of a Secret's name. */
const SUBDOMAIN = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A DNS-1123 label, what Kubernetes requires of a namespace. */
const LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * The Secret's name and namespace: --name, else `<the vault's folder>-<environment>`
 * (api-production) made a DNS-1123 name, so each environment of each project gets its own
 * Secret and running the export again updates the same one.
 */
export function manifestPlace(vaultFolder: string, envName: string, given: { name?: string | undefined; namespace?: string | undefined }): ManifestPlace {
  if (given.name !== undefined && !SUBDOMAIN.test(given.name)) {
    throw new VaultError("usage", `--name ${JSON.stringify(given.name)} is not a valid Kubernetes name`, "lowercase letters, digits, - and ., starting and ending with a letter or digit");
  }
  if (given.namespace !== undefined && !LABEL.test(given.namespace)) {
    throw new VaultError("usage", `--namespace ${JSON.stringify(given.namespace)} is not a valid Kubernetes namespace`, "lowercase letters, digits and -, at most 63");
  }
  const name = given.name ?? defaultSecretName(vaultFolder, envName);
  return { name, namespace: given.namespace };
}

/**
 * `<folder>-<environment>` as a DNS-1123 name. The environment's part is kept whole (the
 * folder's is shortened to fit), and where it had to change (prod_eu, or a trailing -) a
 * short digest of the real name follows, so two environments never share a Secret.
 */
function defaultSecretName(folder: string, envName: string): string {
  const dns = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  const plain = dns(envName);
  const envPart = plain === envName ? plain : `${plain}-${createHash("sha256").update(envName).digest("hex").slice(0, 8)}`;
  const folderPart = dns(folder).slice(0, 253 - envPart.length - 1).replace(/-+$/, "");
  return folderPart ? `${folderPart}-${envPart}` : envPart;
}
