import type { Environment, KeyLink, KeySlot, VaultDoc } from "./types.js";

/**
 * Deterministic output: fixed field order, names sorted, 2-space indent, one secret and
 * one slot per line, trailing newline. The same document always gives the same bytes,
 * so `git diff` shows one line per changed secret.
 */
export function serializeVault(doc: VaultDoc): string {
  const envNames = Object.keys(doc.environments).sort(byCodePoint);
  const envs = envNames.map((name, i) => {
    const env = doc.environments[name] as Environment;
    const comma = i < envNames.length - 1 ? "," : "";
    return `    ${q(name)}: {\n${serializeEnvironment(env)}\n    }${comma}`;
  });
  return [
    "{",
    `  "sealenv": ${doc.version},`,
    `  "id": ${q(doc.id)},`,
    `  "default": ${q(doc.defaultEnv)},`,
    envs.length ? `  "environments": {\n${envs.join("\n")}\n  }` : `  "environments": {}`,
    "}",
    "",
  ].join("\n");
}

function serializeEnvironment(env: Environment): string {
  const pad = "      ";
  const secrets = serializeSecrets(env.secrets, `${pad}  `);
  const slots = env.slots.length
    ? `[\n${env.slots.map((s, i) => `${pad}  ${serializeSlot(s)}${i < env.slots.length - 1 ? "," : ""}`).join("\n")}\n${pad}]`
    : "[]";
  const links = env.keyLinks.length
    ? `[\n${env.keyLinks.map((l, i) => `${pad}  ${serializeLink(l)}${i < env.keyLinks.length - 1 ? "," : ""}`).join("\n")}\n${pad}]`
    : "[]";
  return [
    `${pad}"generation": ${env.generation},`,
    `${pad}"keyId": ${q(env.keyId)},`,
    `${pad}"signer": ${q(env.signer)},`,
    `${pad}"retiredKeyIds": [${env.retiredKeyIds.map(q).join(", ")}],`,
    `${pad}"keyLinks": ${links},`,
    `${pad}"slots": ${slots},`,
    `${pad}"secrets": ${secrets},`,
    `${pad}"mac": ${q(env.mac)}`,
  ].join("\n");
}

/**
 * One secret a line, in code-point order. Names and sealed values are checked where they
 * enter a document to need no JSON escaping; whether that holds is asked of JSON itself,
 * once for all of them (escaping makes a string longer), so 10,000 secrets are not quoted
 * one call at a time unless one of them needs it.
 */
function serializeSecrets(secrets: Record<string, string>, indent: string): string {
  const names = Object.keys(secrets).sort(byCodePoint);
  if (names.length === 0) return "{}";
  const values = names.map((name) => secrets[name] as string);
  const quote = escapesNothing(names) && escapesNothing(values) ? (s: string) => `"${s}"` : q;
  let out = "{";
  for (let i = 0; i < names.length; i++) out += `${i ? "," : ""}\n${indent}${quote(names[i] as string)}: ${quote(values[i] as string)}`;
  return `${out}\n${indent.slice(2)}}`;
}

/** JSON writes each string as itself between quotes: `["a","b"]` is the characters plus three a string, plus one. */
function escapesNothing(strings: string[]): boolean {
  let chars = 0;
  for (const s of strings) chars += s.length;
  return JSON.stringify(strings).length === chars + 3 * strings.length + 1;
}

function serializeLink(link: KeyLink): string {
  return `{ "from": ${q(link.from)}, "to": ${q(link.to)}, "generation": ${link.generation}, "signer": ${q(link.signer)}, "sig": ${q(link.sig)} }`;
}

function serializeSlot(slot: KeySlot): string {
  if (slot.type === "recipient") {
    const fields: [string, string][] = [
      ["type", slot.type],
      ["member", slot.member],
      ["kind", slot.kind],
      ["pk", slot.pk],
      ["box", slot.box],
    ];
    return `{ ${fields.map(([k, v]) => `${q(k)}: ${q(v)}`).join(", ")} }`;
  }
  const fields: [string, string | number][] = [
    ["type", slot.type],
    ["kdf", slot.kdf],
    ["ops", slot.ops],
    ["mem", slot.mem],
    ["salt", slot.salt],
    ["nonce", slot.nonce],
    ["box", slot.box],
  ];
  return `{ ${fields.map(([k, v]) => `${q(k)}: ${JSON.stringify(v)}`).join(", ")} }`;
}

const q = (s: string) => JSON.stringify(s);

/** Code-point order, independent of the machine's locale. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
