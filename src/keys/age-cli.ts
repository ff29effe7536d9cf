import { spawnSync } from "node:child_process";
import { fromB64, pluginNameOf, sealToMember, toB64, type Recipient } from "../crypto/index.js";
import { withoutCredentials } from "../credentials.js";
import { VaultError } from "../errors.js";
import { findProgram, trustedPath } from "../programs.js";

/**
 * age plugin recipients (`age1yubikey1...`, `age1se1...`, `age1tpm1...`: `age1NAME1...`)
 * through the age tool, which runs age-plugin-NAME: `age -r RECIPIENT` seals, `age -d -i
 * FILE` opens. The data key goes through stdin and stdout only, never argv or a file; the
 * child gets no sealenv credential variable.
 */
const MAX_OUTPUT = 64 * 1024;

/** The first executable `name` on PATH, or undefined. */
/** What this machine lacks for the age tool to use age-plugin-NAME, said as what to install; undefined when nothing. */
export function missingForPlugin(plugin: string, environ: NodeJS.ProcessEnv): string | undefined {
  const missing: string[] = [];
  if (!findProgram("age", environ, process.cwd())) missing.push("the age tool (https://age-encryption.org: `apt install age`, `brew install age`)");
  if (!findProgram(`age-plugin-${plugin}`, environ, process.cwd())) missing.push(`age-plugin-${plugin} on PATH`);
  return missing.length ? missing.join(" and ") : undefined;
}

/**
 * What the age tool and its plugins may see of the environment: no sealenv credential, and
 * not SOPS's age key either (a third-party plugin has no business with the user's key).
 */
function ageEnvironment(environ: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // The age tool finds its plugins on PATH: the trusted one (see trustedPath).
  const env: NodeJS.ProcessEnv = { ...withoutCredentials(environ), PATH: trustedPath(environ, process.cwd()) };
  delete env.SOPS_AGE_KEY;
  delete env.SOPS_AGE_KEY_FILE;
  return env;
}

const firstLine = (out: Buffer | string | null | undefined): string => (out ?? "").toString().trim().split("\n")[0] ?? "";

/** A member slot's box for any recipient: plugin recipients through the age tool, the rest in src/crypto. */
export async function sealMemberBox(recipient: Recipient, dataKey: Uint8Array, environ: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (recipient.kind !== "age-plugin") return sealToMember(recipient, dataKey);
  const text = Buffer.from(recipient.publicKey).toString("latin1");
  const plugin = pluginNameOf(text) ?? "";
  const missing = missingForPlugin(plugin, environ);
  if (missing) throw new VaultError("command_not_found", `sealing to an age-plugin-${plugin} recipient needs ${missing}`, `install ${missing}, then run the command again`);
  const r = spawnSync(findProgram("age", environ, process.cwd()) as string, ["-r", text], { input: dataKey, env: ageEnvironment(environ), maxBuffer: MAX_OUTPUT });
  if (r.status !== 0 || !r.stdout?.length) {
    throw new VaultError("io", `age could not seal to the age-plugin-${plugin} recipient: ${firstLine(r.stderr) || (r.error?.message ?? "no output")}`, `check the plugin with \`age -r ${text}\``);
  }
  return toB64(r.stdout);
}

/** The data key an age plugin slot holds, opened by `age -d -i identityFile`; undefined when it does not open. */
export function openWithAgeTool(box: string, identityFile: string, environ: NodeJS.ProcessEnv): Uint8Array | undefined {
  const bytes = fromB64(box);
  const age = findProgram("age", environ, process.cwd());
  if (!bytes || !age) return undefined;
  const r = spawnSync(age, ["-d", "-i", identityFile], { input: bytes, env: ageEnvironment(environ), maxBuffer: MAX_OUTPUT });
  const out = r.stdout as Buffer | null;
  if (!out) return undefined;
  const key = r.status === 0 && out.length === 32 ? new Uint8Array(out) : undefined;
  out.fill(0);
  return key;
}
