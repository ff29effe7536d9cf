/** A form in which a secret's value could sit in a file. */
export interface Needle {
  text: string;
  /** `text` as UTF-8, made once here rather than once per file searched. */
  bytes: Buffer;
  env: string;
  name: string;
  form: "value" | "base64" | "url-encoded" | "escaped";
}

/** Shorter values would match everywhere (`true`, `8080`); the README says they are skipped. */
export const MIN_SECRET_LENGTH = 8;

/**
 * Every form of every value worth searching for: as is, base64 (padded, unpadded,
 * URL-safe), URL-encoded, and escaped: inside a JSON string (`vault export --format
 * json`) or a dotenv double-quoted one (how `vault export` writes a multi-line value).
 * The two escapes share one name because they often give the same text (a value whose
 * only special characters are line breaks), and a `.env` file reported as "json" would
 * mislead. A text already listed for the secret is not listed again, so a value with
 * nothing to escape costs no extra search. Pure: the caller supplies the decrypted values.
 */
export function needlesFor(secrets: { env: string; name: string; value: string }[]): Needle[] {
  const out: Needle[] = [];
  const seen = new Set<string>();
  const add = (text: string, s: { env: string; name: string }, form: Needle["form"]) => {
    const key = `${s.env}\0${s.name}\0${text}`;
    if (text.length < MIN_SECRET_LENGTH || seen.has(key)) return;
    seen.add(key);
    out.push({ text, bytes: Buffer.from(text, "utf8"), env: s.env, name: s.name, form });
  };
  for (const s of secrets) {
    if (s.value.length < MIN_SECRET_LENGTH) continue;
    add(s.value, s, "value");
    const b64 = Buffer.from(s.value, "utf8").toString("base64");
    add(b64, s, "base64");
    add(b64.replace(/=+$/, ""), s, "base64");
    add(Buffer.from(s.value, "utf8").toString("base64url"), s, "base64");
    add(encodeURIComponent(s.value), s, "url-encoded");
    add(encodeURIComponent(s.value).replace(/%20/g, "+"), s, "url-encoded");
    add(jsonEscaped(s.value), s, "escaped");
    add(dotenvEscaped(s.value), s, "escaped");
  }
  return out;
}

/** The value as it sits between the quotes of a JSON string: `\n`, `\"`, `\\`, `\t`, `\u00XX`. */
export function jsonEscaped(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** The value as it sits in a dotenv double-quoted string, the only escapes dotenv reads there. */
export function dotenvEscaped(value: string): string {
  return value.replace(/\n/g, "\\n").replace(/\r/g, "\\r");
}
