/**
 * What the tools sealenv writes for read back, written from their documented rules (the
 * tools themselves are not installed here): the tests hand our output to these.
 */

/**
 * `docker run --env-file`, as docker/cli's pkg/kvfile documents and does: lines split at
 * \n (bufio.ScanLines, which also drops a CR before it), a UTF-8 BOM removed from the
 * first, each line's leading whitespace trimmed, empty lines and lines starting with `#`
 * skipped, then split at the first `=`; the name may not contain a space or tab, the value
 * is kept as it is. `stripQuotes`: later versions remove one pair of the same quote
 * (' or ") around a value; docker 28 keeps them.
 */
export function readDockerEnvFile(text: string, stripQuotes: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const [i, raw] of lines.entries()) {
    let line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (i === 0) line = line.replace(/^\uFEFF/, "");
    line = line.replace(/^\s+/u, "");
    if (line === "" || line.startsWith("#")) continue;
    const at = line.indexOf("=");
    const name = at < 0 ? line : line.slice(0, at);
    if (name === "" || /[ \t]/.test(name)) throw new Error(`docker refuses line ${i + 1}`);
    if (at < 0) continue;
    let value = line.slice(at + 1);
    if (stripQuotes && value.length >= 2 && (value[0] === "'" || value[0] === '"') && value.endsWith(value[0])) value = value.slice(1, -1);
    out[name] = value;
  }
  return out;
}
