import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll } from "vitest";
import { ROOT } from "./cli.js";

/**
 * A copy of sealenv as installed on a machine where some packages do not load: its bin/,
 * dist/ and package.json, and a node_modules of links to this checkout's packages except
 * each named one, which is there but throws when loaded, as sodium-native does where it
 * has no prebuild for the platform. Returns the copy's bin/vault.js; removed when the file ends.
 */
export function installWithBroken(broken: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), "sealenv-install-"));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  for (const part of ["bin", "dist", "package.json"]) cpSync(path.join(ROOT, part), path.join(root, part), { recursive: true });
  const modules = path.join(root, "node_modules");
  mkdirSync(modules);
  for (const name of readdirSync(path.join(ROOT, "node_modules"))) {
    if (!broken.includes(name)) symlinkSync(path.join(ROOT, "node_modules", name), path.join(modules, name));
  }
  for (const name of broken) {
    mkdirSync(path.join(modules, name));
    writeFileSync(path.join(modules, name, "package.json"), JSON.stringify({ name, main: "index.js" }));
    writeFileSync(path.join(modules, name, "index.js"), `throw new Error("No native build was found for ${name} (test install)");\n`);
  }
  return path.join(root, "bin/vault.js");
}
