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

/**
 * `$GITHUB_ENV`, as the Actions runner reads it (actions/runner FileCommandManager.cs,
 * SetEnvFileCommand, Linux): line by line at \n; an empty line is skipped; a line whose
 * first `=` comes before any `<<` is NAME=VALUE; one whose `<<` comes first is
 * NAME<<DELIMITER, and the value is every line up to the first line equal to DELIMITER,
 * without the newline before it. A missing delimiter is an error.
 */
export function readGithubEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let index = 0;
  const readLine = (): string | undefined => {
    if (index >= text.length) return undefined;
    const lf = text.indexOf("\n", index);
    const line = lf < 0 ? text.slice(index) : text.slice(index, lf);
    index = lf < 0 ? text.length : lf + 1;
    return line;
  };
  for (let line = readLine(); line !== undefined; line = readLine()) {
    if (line === "") continue;
    const eq = line.indexOf("=");
    const heredoc = line.indexOf("<<");
    if (eq >= 0 && (heredoc < 0 || eq < heredoc)) {
      out[line.slice(0, eq)] = line.slice(eq + 1);
      continue;
    }
    if (heredoc <= 0) throw new Error(`invalid line ${JSON.stringify(line)}`);
    const name = line.slice(0, heredoc);
    const delimiter = line.slice(heredoc + 2);
    if (delimiter === "") throw new Error("empty delimiter");
    const start = index;
    let end = index;
    for (let next = readLine(); next !== delimiter; next = readLine()) {
      if (next === undefined) throw new Error(`matching delimiter not found '${delimiter}'`);
      end = index - 1;
    }
    out[name] = end > start ? text.slice(start, end) : "";
  }
  return out;
}

/** The values `::add-mask::` lines on a step's stdout register, unescaped as the runner does (%0D, %0A, %25). */
export function maskedValues(stdout: string): string[] {
  return stdout
    .split("\n")
    .filter((line) => line.startsWith("::add-mask::"))
    .map((line) => line.slice("::add-mask::".length).replace(/%0D/g, "\r").replace(/%0A/g, "\n").replace(/%25/g, "%"));
}
