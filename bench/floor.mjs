// The floor `vault run` and `vault get` are measured against: the least any tool built on
// libsodium-wrappers-sumo must do. Load libsodium, open one secretbox, spawn `true`.
import { spawnSync } from "node:child_process";
import sodium from "libsodium-wrappers-sumo";

await sodium.ready;
const [key, nonce, box] = process.argv.slice(2).map((h) => Uint8Array.from(Buffer.from(h, "hex")));
const plain = sodium.crypto_secretbox_open_easy(box, nonce, key);
if (plain.length === 0) throw new Error("empty");
spawnSync("true", { stdio: "inherit" });
