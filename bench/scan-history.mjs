// How long `vault scan --history` takes on a repository of 1,000 commits (each changing
// one of 50 source files), with a vault of 20 secrets. Reports the median of 5 runs.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = path.join(root, "bin/vault.js");
const commits = Number(process.env.BENCH_COMMITS ?? 1000);
const dir = mkdtempSync(path.join(tmpdir(), "sealenv-scan-bench-"));
const env = { PATH: process.env.PATH, HOME: dir, VAULT_PASSPHRASE: "benchmark passphrase", GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@b", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@b" };
const run = (cmd, args, extra = {}, input) => {
  const r = spawnSync(cmd, args, { cwd: dir, env: { ...env, ...extra }, input, encoding: "utf8", maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
};

run("git", ["init", "-q", "-b", "main"]);
run(process.execPath, [bin, "init", "--passphrase"]);
const key = run(process.execPath, [bin, "key", "export"]).trim();
run(process.execPath, [bin, "import", "-"], { VAULT_KEY: key }, Array.from({ length: 20 }, (_, i) => `SECRET_${i}=value-${i}-${"s".repeat(24)}\n`).join(""));
run("git", ["add", "-A"]);
run("git", ["commit", "-qm", "vault"]);

// fast-import writes 1,000 commits in one process instead of 2,000 git invocations.
let stream = "";
for (let i = 0; i < commits; i++) {
  const body = `// change ${i}\n${"const x = 1;\n".repeat(40)}`;
  stream += `commit refs/heads/main\ncommitter b <b@b> ${1700000000 + i} +0000\ndata 8\nchange ${String(i % 10)}\n`;
  if (i === 0) stream += "from refs/heads/main^0\n";
  stream += `M 644 inline src/file-${i % 50}.js\ndata ${Buffer.byteLength(body)}\n${body}\n`;
}
writeFileSync(path.join(dir, "stream"), stream);
run("sh", ["-c", "git fast-import --quiet < stream && rm stream"]);
run("git", ["reset", "-q", "--hard"]);
const count = run("git", ["rev-list", "--count", "HEAD"]).trim();

const times = [];
for (let i = 0; i < 5; i++) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, "scan", "--history"], { cwd: dir, env: { PATH: env.PATH, HOME: dir, VAULT_KEY: key }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`scan failed: ${r.stderr}`);
  times.push(Number(process.hrtime.bigint() - t) / 1e6);
}
rmSync(dir, { recursive: true, force: true });
times.sort((a, b) => a - b);
console.log(`vault scan --history: ${count} commits, 20 secrets: median ${times[2].toFixed(0)} ms (min ${times[0].toFixed(0)}, max ${times[4].toFixed(0)})`);
