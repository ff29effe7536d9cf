import path from "node:path";
import { environmentHealth, hasPassphraseSlot, keychainStatus, libsodiumBuild, openVault, readAudit } from "../../vault.js";
import { VaultError } from "../../errors.js";
import { passphraseVariableFor } from "../../names.js";
import { sessionOf } from "../context.js";
import { gitFindings, plaintextEnvFiles, type Finding, type Level } from "../doctor-findings.js";
import type { OptionsOf } from "../grammar.js";
import { print } from "../output.js";
import { allowsUnchecked, failClosed, type Unchecked } from "../unchecked.js";

type DoctorOptions = OptionsOf<"doctor">;

/** Checks what sealenv depends on here and says how to fix each problem. */
export async function doctorCommand(opts: DoctorOptions): Promise<void> {
  const findings: Finding[] = [];
  const unchecked: Unchecked[] = [];
  const add = (level: Level, what: string, fix?: string) => findings.push(fix ? { level, what, fix } : { level, what });

  const keychain = await keychainStatus();
  if (keychain.reachable) add("ok", `keychain: ${keychain.store} answers`);
  else add("warn", `keychain: ${keychain.store} not reachable (${keychain.detail ?? "unknown"})`, "fine on servers and CI: use VAULT_KEY, an identity file or a passphrase; on a desktop, unlock or start the keyring");

  let crypto = true;
  try {
    if ((await libsodiumBuild()) === "native") add("ok", "crypto: libsodium, native build (sodium-native)");
    else add("ok", `crypto: libsodium, WebAssembly build (no native build loads on ${process.platform}-${process.arch}: start-up and passphrases are slower)`);
  } catch (err) {
    if (!(err instanceof VaultError)) throw err;
    add("fail", `crypto: ${err.message}`, err.hint);
    crypto = false;
  }

  const s = sessionOf({ ...opts, yes: true });
  let v;
  try {
    v = await openVault(s);
  } catch (err) {
    if (!(err instanceof VaultError)) throw err;
    add("fail", `vault: ${err.message}`, err.hint);
  }
  if (v) {
    add("ok", `vault: ${v.file} (${Object.keys(v.doc.environments).length} environment(s))`);
    for (const h of crypto ? await environmentHealth(s, v) : []) {
      if (h.damaged) add("fail", `${h.env}: ${h.source ? `opened with ${h.source}, but ` : ""}${h.problem}`, "restore secrets.vault from git");
      else if (h.problem) {
        unchecked.push({ env: h.env, why: "no key for it here" });
        const passphrase = hasPassphraseSlot(v.doc, h.env);
        add(
          "warn",
          `${h.env}: no key here, so it was not checked`,
          passphrase
            ? `it has a passphrase: type it (\`vault get NAME --env ${h.env}\` asks) or set ${passphraseVariableFor(h.env)}; or get its key (\`vault key import\`)`
            : "get it: `vault key import` (from `vault key export`), or ask to be added with `vault member add`",
        );
      }
      else add("ok", `${h.env}: opens with ${h.source}, and verifies`);
    }
    gitFindings(path.dirname(v.file), add);
    for (const file of plaintextEnvFiles(path.dirname(v.file))) {
      add("warn", `plaintext secrets file: ${file}`, `\`vault import ${file}\`, check, then delete it`);
    }
  }
  try {
    const records = await readAudit(process.env, true);
    add("ok", `audit log: intact (${records.length} record(s))`);
  } catch (err) {
    if (!(err instanceof VaultError)) throw err;
    add("fail", `audit log: ${err.message}`, err.hint);
  }

  print(findings.map((f) => `${f.level.padEnd(4)}  ${f.what}${f.fix ? `\n      fix: ${f.fix}` : ""}`).join("\n"));
  const failed = findings.filter((f) => f.level === "fail").length;
  if (failed) throw new VaultError("unhealthy", `${failed} problem(s) need fixing`, "see the fix lines above");
  failClosed("vault doctor", unchecked, allowsUnchecked(opts.allowUnchecked));
}
