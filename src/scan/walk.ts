import { readdirSync } from "node:fs";
import path from "node:path";

/** Folders no scan looks into: git's own objects and installed dependencies. */
const SKIPPED_DIRS = new Set([".git", "node_modules"]);

/** Calls `onFile` for every regular file under `dir`, down to `maxDepth` folders. */
export function walkFiles(dir: string, onFile: (file: string) => void, maxDepth = Infinity): void {
  const walk = (d: string, depth: number) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (SKIPPED_DIRS.has(entry.name)) continue;
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) {
        if (depth < maxDepth) walk(p, depth + 1);
      } else if (entry.isFile()) onFile(p);
    }
  };
  walk(dir, 0);
}
