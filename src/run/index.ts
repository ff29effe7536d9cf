export { mergeEnvironment } from "./env.js";
export { runChild, type ChildExit } from "./spawn.js";
export { loaderVariables } from "./loader-vars.js";
