/** A form in which a secret's value could sit in a file. */
export interface Needle {
  text: string;
  env: string;
  name: string;
  form: "value" | "base64" | "url-encoded";
}

/** Shorter values would match everywhere (`true`, `8080`); the README says they are skipped. */
export const MIN_SECRET_LENGTH = 8;

/**
 * Every form of every value worth searching for: as is, base64 (padded, unpadded,
 * URL-safe) and URL-encoded. Pure: the caller supplies the decrypted values.
 */
export function needlesFor(secrets: { env: string; name: string; value: string }[]): Needle[] {
  const out: Needle[] = [];
  const seen = new Set<string>();
  const add = (text: string, s: { env: string; name: string }, form: Needle["form"]) => {
    const key = `${s.env}\0${s.name}\0${text}`;
    if (text.length < MIN_SECRET_LENGTH || seen.has(key)) return;
    seen.add(key);
    out.push({ text, env: s.env, name: s.name, form });
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
  }
  return out;
}
