import path from "node:path";
import { ROOT } from "./cli.js";

/** The scripted $EDITOR of the tests (editor.mjs): EDIT_ACTIONS, as JSON, says what it does to the file. */
export const EDITOR_SCRIPT = path.join(ROOT, "test/support/editor.mjs");

/** The value of EDITOR (or VISUAL) that runs it. */
export const EDITOR = `${process.execPath} ${EDITOR_SCRIPT}`;
