// `vault member rm` on an environment of N secrets (default 1,000) with three members and
// a passphrase slot: removal, rotation (every value re-encrypted, slots re-wrapped) and
// the list of what the member could read. Compared with the same on 10 secrets, so the
// per-secret cost shows apart from the fixed Argon2id work of re-wrapping the passphrase slot.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin/vault.js");
const passphrase = "benchmark passphrase";
const base = mkdtempSync(path.join(tmpdir(), "sealenv-member-bench-"));

function vault(home, cwd, args, extra = {}, input) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, input, encoding: "utf8", env: { PATH: process.env.PATH, HOME: home, ...extra } });
  if (r.status !== 0) throw new Error(`vault ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

function setup(count) {
  const dir = path.join(base, `v${count}`);
  const homes = ["a", "b", "c"].map((n) => path.join(dir, `home-${n}`));
  const proj = path.join(dir, "proj");
  for (const d of [...homes, proj]) mkdirSync(d, { recursive: true });
  const recipients = homes.map((h) => vault(h, proj, ["identity", "new"]).trim());
  vault(homes[0], proj, ["init", "--passphrase"], { VAULT_PASSPHRASE: passphrase });
  ["a", "b", "c"].forEach((n, i) => vault(homes[0], proj, ["member", "add", n, recipients[i]], { VAULT_PASSPHRASE: passphrase }));
  vault(homes[0], proj, ["import", "-"], {}, Array.from({ length: count }, (_, i) => `SECRET_${i}=value-${i}-${"v".repeat(30)}\n`).join(""));
  return { home: homes[0], proj };
}

function timeRemoval({ home, proj }) {
  const saved = path.join(proj, "saved.vault");
  copyFileSync(path.join(proj, "secrets.vault"), saved);
  const times = [];
  for (let i = 0; i < 3; i++) {
    copyFileSync(saved, path.join(proj, "secrets.vault"));
    const t = process.hrtime.bigint();
    vault(home, proj, ["member", "rm", "b", "--yes"], { VAULT_PASSPHRASE: passphrase });
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return times.sort((a, b) => a - b)[1];
}

const big = Number(process.env.BENCH_SECRETS ?? 1000);
const small = timeRemoval(setup(10));
const large = timeRemoval(setup(big));
rmSync(base, { recursive: true, force: true });
console.log(`vault member rm, 3 members + a passphrase slot, median of 3:`);
console.log(`  10 secrets: ${small.toFixed(0)} ms`);
console.log(`  ${big} secrets: ${large.toFixed(0)} ms (${((large - small) / (big - 10)).toFixed(3)} ms per extra secret)`);
