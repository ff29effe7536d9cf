import { readFileSync } from "node:fs";
import { chosenEnv, environmentNames, exampleDrift, openVault } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { sessionOf } from "../context.js";
import { checkDotenvText } from "../dotenv-check.js";
import type { OptionsOf } from "../grammar.js";
import { note } from "../output.js";

type CheckOptions = OptionsOf<"check">;

/**
 * The CI gate for an .env.example: every name it lists is set in the environment (each
 * one, with --all); with --strict, the environment has no name it lacks. Names only:
 * needs no key. Fails naming every gap, with exit 3 (not found).
 */
export async function checkCommand(opts: CheckOptions): Promise<void> {
  if (opts.all && opts.env !== undefined) throw new VaultError("usage", "--all and --env both pick environments", "give one of them");
  const file = opts.example;
  const names = exampleNames(file);
  const s = sessionOf(opts);
  const v = await openVault(s);
  const envs = opts.all ? environmentNames(v.doc) : [chosenEnv(s, v.doc)];
  const gaps: string[] = [];
  for (const d of exampleDrift(v.doc, envs, names)) {
    if (d.missing.length) gaps.push(`${d.env} lacks ${d.missing.join(", ")}`);
    if (opts.strict && d.extra.length) gaps.push(`${d.env} has ${d.extra.join(", ")}, which ${file} lacks`);
  }
  if (gaps.length) {
    throw new VaultError("not_found", `${file} and the vault disagree: ${gaps.join("; ")}`, "`vault set NAME --env ENV` adds a missing secret; `vault example > .env.example` rewrites the example");
  }
  note(`${envs.join(", ")}: ${opts.strict ? "the same names as" : "every name in"} ${file}`);
}

/** The names the example sets, read as dotenv reads them; a line dotenv would skip is an error, not a name missed. */
function exampleNames(file: string): string[] {
  let text: string;
  try {
    text = readFileSync(file === "-" ? 0 : file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === "ENOENT") throw new VaultError("not_found", `no example file ${file}`, "`vault example > .env.example` writes one; --example FILE reads another");
    throw new VaultError("io", `cannot read ${file}: ${code ?? String(err)}`, code === "EISDIR" ? "give the example file, not its folder" : "check the path and its permissions");
  }
  const checked = checkDotenvText(text);
  if ("problem" in checked) throw new VaultError("usage", `${file}, line ${checked.line}: ${checked.problem}`, "fix the line, or rewrite the file with `vault example`");
  return Object.keys(checked.values);
}
