// A test age plugin, age-plugin-sealtest, speaking the age plugin protocol (recipient-v1 and
// identity-v1) as Debian's age runs it: test/e2e/age.test.ts installs it on PATH as
// age-plugin-sealtest. Its recipients (age1sealtest1...) and identities
// (AGE-PLUGIN-SEALTEST-1...) carry the same bytes; a file key is XORed with a hash of them.
// For tests only: it protects nothing.
import { createHash } from "node:crypto";
import { appendFileSync } from "node:fs";
import { createInterface } from "node:readline";

// Where a test asks, the plugin says which variables it was started with (names only).
if (process.env.SEALTEST_ENV_LOG) appendFileSync(process.env.SEALTEST_ENV_LOG, `${JSON.stringify(Object.keys(process.env))}\n`);

const mode = process.argv.find((a) => a.startsWith("--age-plugin="))?.slice("--age-plugin=".length);
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();

async function readStanza() {
  const head = await lines.next();
  if (head.done) return undefined;
  const [arrow, type, ...args] = head.value.split(" ");
  if (arrow !== "->") throw new Error(`bad stanza line ${head.value}`);
  let body = "";
  for (;;) {
    const line = (await lines.next()).value ?? "";
    body += line;
    if (line.length < 64) break;
  }
  return { type, args, body: Buffer.from(body, "base64") };
}

function writeStanza(type, args, body = Buffer.alloc(0)) {
  const b64 = body.toString("base64").replace(/=+$/, "");
  const chunks = b64.match(/.{1,64}/g) ?? [];
  if (chunks.length === 0 || chunks.at(-1).length === 64) chunks.push("");
  process.stdout.write(`-> ${[type, ...args].join(" ")}\n${chunks.join("\n")}\n`);
}

// The bech32 data part without its checksum: the same for a recipient and its identity.
const keyOf = (s) => s.toLowerCase().slice(s.lastIndexOf("1") + 1, -6);
const tagOf = (key) => createHash("sha256").update(`tag${key}`).digest("hex").slice(0, 16);
const xor = (key, data) => {
  const pad = createHash("sha256").update(`pad${key}`).digest();
  return Buffer.from(data.map((b, i) => b ^ pad[i % 32]));
};

async function phase1() {
  const got = [];
  for (;;) {
    const s = await readStanza();
    if (!s || s.type === "done") return got;
    got.push(s);
  }
}

async function expectOk() {
  const s = await readStanza();
  if (s?.type !== "ok") throw new Error(`expected ok, got ${s?.type}`);
}

if (mode === "recipient-v1") {
  const got = await phase1();
  const keys = got.filter((s) => s.type === "add-recipient").map((s) => keyOf(s.args[0]));
  const fileKeys = got.filter((s) => s.type === "wrap-file-key").map((s) => s.body);
  for (const [i, fileKey] of fileKeys.entries()) {
    for (const key of keys) {
      writeStanza("recipient-stanza", [String(i), "sealtest", tagOf(key)], xor(key, fileKey));
      await expectOk();
    }
  }
  writeStanza("done", []);
} else if (mode === "identity-v1") {
  const got = await phase1();
  const keys = got.filter((s) => s.type === "add-identity").map((s) => keyOf(s.args[0]));
  const done = new Set();
  for (const s of got.filter((g) => g.type === "recipient-stanza" && g.args[1] === "sealtest")) {
    const key = keys.find((k) => tagOf(k) === s.args[2]);
    if (!key || done.has(s.args[0])) continue;
    done.add(s.args[0]);
    writeStanza("file-key", [s.args[0]], xor(key, s.body));
    await expectOk();
  }
  writeStanza("done", []);
} else {
  process.stderr.write("age-plugin-sealtest: a test plugin for age; run by age, not by hand\n");
  process.exit(1);
}
process.exit(0);
