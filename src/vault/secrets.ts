import { openValue, sealValue, type EnvKeys, type OpenedValue, type ValueMeta, type ValuePlace } from "../crypto/index.js";
import { parseDuration } from "./durations.js";
import { VaultError } from "../errors.js";
import { byCodePoint, checkSecretName, nameRecord, ownEntry, type VaultDoc } from "../format/index.js";
import { mutateVault, resealEnvironment, verifiedEnvironment } from "./mutate.js";
import { resolveSecrets, parseTemplate, type StoredSecret } from "./templates.js";
import { environmentOf, type OpenVault } from "./session.js";

/**
 * The new ciphertext for a value, or undefined when nothing changed (the old ciphertext
 * stays). A new value (or the same text turned into a template or back) gets a new
 * `updated` time; its creation time and rotation policy carry over unless a new policy is given.
 */
export function sealChange(keys: EnvKeys, place: ValuePlace, secret: StoredSecret, old: OpenedValue | undefined, rotateEvery?: string): string | undefined {
  const policy = rotateEvery ?? old?.rotateEvery;
  const same = old !== undefined && sameSecret(old, secret);
  if (same && old.rotateEvery === policy) return undefined;
  const meta: ValueMeta = same ? { ...old } : { updated: new Date().toISOString() };
  if (old) meta.created = old.created ?? old.updated;
  if (policy) meta.rotateEvery = policy;
  else delete meta.rotateEvery;
  if (secret.template) meta.template = true;
  else delete meta.template;
  return sealValue(keys, place, secret.value, meta);
}

/** Whether an opened value is this secret: the same text, and the same kind (literal or template). */
const sameSecret = (old: OpenedValue, secret: StoredSecret) => old.value === secret.value && Boolean(old.template) === secret.template;

/** Far above any real secret, far below what would make the file unwieldy. */
const MAX_VALUE_BYTES = 1024 * 1024;

export function checkSecret(name: string, secret: StoredSecret): void {
  checkValue(name, secret.value);
  if (secret.template) parseTemplate(name, secret.value);
}

function checkValue(name: string, value: string): void {
  if (value.includes("\0")) {
    throw new VaultError("usage", `the value of ${name} contains a NUL byte`, "environment variables cannot hold NUL; base64-encode binary data first");
  }
  if (Buffer.byteLength(value, "utf8") > MAX_VALUE_BYTES) {
    throw new VaultError("usage", `the value of ${name} is larger than 1 MiB`, "keep large files out of the vault; store a path or a key to them instead");
  }
}

export function listNames(doc: VaultDoc, envName: string): string[] {
  return Object.keys(environmentOf(doc, envName).secrets).sort(byCodePoint);
}

/** A secret as the program sees it: a template resolved (see resolveSecrets). */
export function readSecret(doc: VaultDoc, envName: string, keys: EnvKeys, name: string, environ: NodeJS.ProcessEnv): string {
  const one = readStoredSecret(doc, envName, keys, name);
  if (!one.template) return one.value;
  return resolveSecrets(readStoredSecrets(doc, envName, keys), envName, environ, [name])[name] as string;
}

/** Every secret as the program sees it: templates resolved (see resolveSecrets). */
export function readAllSecrets(doc: VaultDoc, envName: string, keys: EnvKeys, environ: NodeJS.ProcessEnv): Record<string, string> {
  return resolveSecrets(readStoredSecrets(doc, envName, keys), envName, environ);
}

/** A value as stored, with whether it is a template (for `vault edit`). */
function readStoredSecret(doc: VaultDoc, envName: string, keys: EnvKeys, name: string): StoredSecret {
  const sealed = ownEntry(environmentOf(doc, envName).secrets, name);
  if (sealed === undefined) {
    throw new VaultError("not_found", `no secret ${name} in ${envName}`, "`vault ls` lists the names; `vault set` adds one");
  }
  const opened = openValue(keys, { vaultId: doc.id, env: envName, name }, sealed);
  return { value: opened.value, template: Boolean(opened.template) };
}

export function readStoredSecrets(doc: VaultDoc, envName: string, keys: EnvKeys): Record<string, StoredSecret> {
  const out = nameRecord<StoredSecret>();
  for (const name of listNames(doc, envName)) out[name] = readStoredSecret(doc, envName, keys, name);
  return out;
}

/** Every value as stored, templates unresolved (what a scan looks for, what health opens). */
export function readRawSecrets(doc: VaultDoc, envName: string, keys: EnvKeys): Record<string, string> {
  const out = nameRecord<string>();
  for (const [name, secret] of Object.entries(readStoredSecrets(doc, envName, keys))) out[name] = secret.value;
  return out;
}

/**
 * Sets several secrets in one locked write; a plain string is a literal value. A value equal to the stored one keeps its
 * ciphertext, like every value not named: a write touches only its own lines.
 * Returns the names whose value changed.
 */
export async function setSecrets(
  v: OpenVault,
  envName: string,
  keys: EnvKeys,
  given: Record<string, StoredSecret | string>,
  options: { rotateEvery?: string; onProgress?: (done: number, total: number) => void } = {},
): Promise<string[]> {
  const entries = nameRecord<StoredSecret>();
  for (const [name, secret] of Object.entries(given)) {
    checkSecretName(name);
    entries[name] = typeof secret === "string" ? { value: secret, template: false } : secret;
    checkSecret(name, entries[name]);
  }
  if (options.rotateEvery !== undefined) parseDuration(options.rotateEvery);
  return mutateVault(v, (doc, notes) => {
    const env = verifiedEnvironment(doc, envName, keys);
    const changed: string[] = [];
    // Values put in place of others; a new name changes the file's shape, not just its strings.
    const replaced: [string, string][] = [];
    let added = false;
    const all = Object.entries(entries);
    for (const [i, [name, secret]] of all.entries()) {
      options.onProgress?.(i + 1, all.length);
      const place = { vaultId: doc.id, env: envName, name };
      const sealedOld = ownEntry(env.secrets, name);
      const old = sealedOld === undefined ? undefined : openValue(keys, place, sealedOld);
      const sealed = sealChange(keys, place, secret, old, options.rotateEvery);
      if (sealed === undefined) continue;
      env.secrets[name] = sealed;
      if (sealedOld === undefined) added = true;
      else replaced.push([sealedOld, sealed]);
      if (!old || !sameSecret(old, secret)) changed.push(name);
    }
    if (!added && replaced.length === 0) {
      notes.unchanged();
      return changed;
    }
    const macBefore = env.mac;
    resealEnvironment(doc, envName, keys, added ? undefined : replaced);
    if (!added) notes.onlyReplaced([...replaced, [macBefore, env.mac]]);
    return changed;
  });
}

export async function removeSecrets(v: OpenVault, envName: string, keys: EnvKeys, names: string[]): Promise<void> {
  names.forEach(checkSecretName);
  await mutateVault(v, (doc) => {
    const env = verifiedEnvironment(doc, envName, keys);
    for (const name of names) {
      if (!Object.hasOwn(env.secrets, name)) throw new VaultError("not_found", `no secret ${name} in ${envName}`, "`vault ls` lists the names");
      delete env.secrets[name];
    }
    resealEnvironment(doc, envName, keys);
  });
}
