import path from "node:path";
import { setupRepository } from "../git/setup.js";
import { note } from "./output.js";
import { selfCommand } from "./self.js";

/** `vault git setup`, also offered by `vault init` inside a repository. */
export function setUpGit(vaultFile: string, diffValues: boolean): void {
  const changed = setupRepository(path.dirname(vaultFile), { self: selfCommand(), vaultFile, diffValues });
  note(changed.length ? `git set up for ${path.basename(vaultFile)}: ${changed.join(", ")}` : "git was already set up: nothing changed");
}
