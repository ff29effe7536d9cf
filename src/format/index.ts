export { parseVault } from "./parse.js";
export { serializeVault, byCodePoint } from "./serialize.js";
export { replaceEachOnce, replaceStrings } from "./splice.js";
export { isUsablePublicKey } from "./public-key.js";
export * from "../names.js";
export { nameRecord, ownEntry } from "./records.js";
export * from "./types.js";
