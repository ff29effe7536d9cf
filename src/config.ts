/**
 * `import "sealenv/config"`: the drop-in for `import "dotenv/config"`. Fills process.env
 * from the vault before the importing module runs (top-level await).
 */
import { config } from "./loader.js";

await config();
