// The floor `vault run` and `vault get` are measured against: the least any Node tool on
// libsodium must do to hand a program its secrets, written as fast as Node allows —
// CommonJS, sodium-native's prebuilt libsodium, no parsing beyond hex. Load libsodium,
// open N secretboxes (a file made by floorFile in common.mjs: the key, then a nonce:box
// a line), spawn the program.
"use strict";
const { spawnSync } = require("node:child_process");
const { readFileSync } = require("node:fs");
const sodium = require("sodium-native");

const [keyHex, ...boxes] = readFileSync(process.argv[2], "latin1").trimEnd().split("\n");
const key = Buffer.from(keyHex, "hex");
const env = { ...process.env };
boxes.forEach((pair, i) => {
  const [nonce, box] = pair.split(":").map((h) => Buffer.from(h, "hex"));
  const plain = Buffer.alloc(box.length - sodium.crypto_secretbox_MACBYTES);
  if (!sodium.crypto_secretbox_open_easy(plain, box, nonce, key)) throw new Error("box did not open");
  env[`SECRET_${i}`] = plain.toString("utf8");
});
const r = spawnSync("true", { stdio: "inherit", env });
process.exitCode = r.status ?? 1;
