export { parseVault, MAX_PASSPHRASE_SLOTS } from "./parse.js";
export { serializeVault, byCodePoint } from "./serialize.js";
export { isUsablePublicKey, PUBLIC_KEY_BYTES } from "./public-key.js";
export * from "../names.js";
export { nameRecord, ownEntry } from "./records.js";
export * from "./types.js";
