export { mergeEnvironment } from "./env.js";
export { runCommand, type ChildExit } from "./spawn.js";
export { createMasker, MIN_MASKED_LENGTH, type MaskedValue } from "./mask.js";
export { loaderVariables } from "./loader-vars.js";
