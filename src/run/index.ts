export { mergeEnvironment } from "./env.js";
export { runCommand, type ChildExit } from "./spawn.js";
export { loaderVariables } from "./loader-vars.js";
