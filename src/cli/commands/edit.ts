import { applyEdit, readStoredSecrets } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { interactive, type CommonOptions } from "../context.js";
import { checkDotenvText } from "../dotenv-check.js";
import { openEditSession } from "../edit-session.js";
import { dotenvLine, secretsFromDotenv } from "../dotenv-secrets.js";
import { warnUnresolved } from "../template-warnings.js";
import { note } from "../output.js";
import { askConfirm } from "../prompts.js";
import { audited } from "../audited.js";
import { openUnlocked } from "../unlock.js";

/** `vault edit`: the environment in dotenv syntax in $VISUAL/$EDITOR; applies only what changed. */
export async function editCommand(opts: CommonOptions): Promise<void> {
  const u = await openUnlocked(opts);
  const current = readStoredSecrets(u.v.doc, u.envName, u.keys);
  const header = [
    `# vault edit: ${u.envName}. Save and close to apply; close without saving to cancel.`,
    "# One NAME=value a line, dotenv syntax; a removed line removes the secret.",
    "# Templates: ${NAME}, ${NAME:-default} or ${NAME-default} in an unquoted or double-quoted value;",
    "# single quotes keep a value literal (\\${ is a literal ${ inside double quotes).",
  ];
  const original = [...header, ...Object.entries(current).map(([n, secret]) => dotenvLine(n, secret)), ""].join("\n");
  const session = openEditSession(`${u.envName}.env`, original);
  try {
    for (;;) {
      await session.edit();
      const text = session.read();
      if (text === original) {
        note("no changes");
        return;
      }
      const checked = checkDotenvText(text);
      if ("values" in checked) {
        // The delta from what was shown goes to the vault as it is now: another process may have written meanwhile.
        const edited = secretsFromDotenv(text, checked.values, true);
        const r = await applyEdit(u.v, u.envName, u.keys, current, edited);
        const names = [...r.added, ...r.changed, ...r.removed];
        if (names.length === 0) {
          note("no changes");
          return;
        }
        await audited("edit", u.v, u.envName, { names });
        warnUnresolved(edited, [...r.added, ...r.changed]);
        const parts = [`${r.added.length} added`, `${r.changed.length} changed`, `${r.removed.length} removed`];
        note(`${u.envName}: ${parts.join(", ")}`);
        return;
      }
      const problem = `line ${checked.line}: ${checked.problem}`;
      if (!interactive(opts)) throw new VaultError("usage", `the edited file does not parse: ${problem}`, "nothing was changed; run `vault edit` again");
      note(`the edited file does not parse: ${problem}`);
      if (!(await askConfirm("Open the editor again to fix it?", true))) throw new VaultError("cancelled", "edit abandoned: nothing changed");
      session.write(`# vault: ${problem}\n${text.replace(/^# vault: line \d+: .*\n/, "")}`);
    }
  } finally {
    session.close();
  }
}
