export { mergeEnvironment } from "./env.js";
export { runCommand, type ChildExit } from "./spawn.js";
