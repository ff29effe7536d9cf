import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The house's layers, checked on the real imports: who may never import whom, that the CLI
 * reaches the domain through its one facade, that commands do not import commands, and that
 * libsodium is loaded by src/crypto alone. Static and dynamic imports both count.
 */
const PARTS: Record<string, string[]> = {
  CLI: ["src/cli/"],
  Library: ["src/index.ts", "src/config.ts", "src/loader.ts", "src/sync-loader.ts", "src/config-sync.ts", "src/load-child.ts"],
  Git: ["src/git/"],
  Domain: ["src/vault/", "src/vault.ts"],
  Keys: ["src/keys/"],
  Crypto: ["src/crypto/"],
  Format: ["src/format/"],
  Store: ["src/store/"],
  Run: ["src/run/"],
  Scan: ["src/scan/"],
};

const NEVER: [from: string, to: string, why: string][] = [
  ["Domain", "CLI", "the domain never prints or prompts"],
  ["Git", "Domain", "git plumbing knows no vault types"],
  ["Format", "Crypto", "the file format holds no keys"],
  ["Store", "Crypto", "storage knows no crypto"],
  ["Run", "Format", "spawning knows no file format"],
  ["Library", "CLI", "the library never loads the CLI"],
  ["CLI", "Crypto", "the CLI touches no libsodium"],
  ["CLI", "Keys", "one door to a key: the domain opens environments"],
  ["Git", "Keys", "the drivers open environments through the domain"],
  ["Scan", "Keys", "the scan gets values from the domain"],
];

const MAX_COMMAND_LINES = 90;

type Graph = Map<string, { imports: string[]; packages: string[]; lines: number; text: string }>;

function partOf(file: string): string | undefined {
  return Object.keys(PARTS).find((part) => PARTS[part]!.some((p) => (p.endsWith("/") ? file.startsWith(p) : file === p)));
}

function readGraph(root: string): Graph {
  const texts: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${e.name}`;
      if (e.isDirectory()) walk(rel);
      else if (rel.endsWith(".ts")) texts[rel] = readFileSync(path.join(root, rel), "utf8");
    }
  };
  walk("src");
  return readGraphOf(texts);
}

/** The graph of some files' texts: ESM imports name their file (`./x.js` is x.ts), in either quotes. */
function readGraphOf(texts: Record<string, string>): Graph {
  const graph: Graph = new Map();
  for (const [file, text] of Object.entries(texts)) {
    const specifiers = [...text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(["'])([^"']+)\1/gm)].map((m) => m[2]!);
    const imports: string[] = [];
    const packages: string[] = [];
    for (const spec of specifiers) {
      if (spec.startsWith(".")) imports.push(path.posix.join(path.posix.dirname(file), spec).replace(/\.js$/, ".ts"));
      else packages.push(spec);
    }
    graph.set(file, { imports, packages, lines: text.split("\n").length, text });
  }
  return graph;
}

/** Every way the graph breaks the house, one line each. */
function breaches(graph: Graph): string[] {
  const out: string[] = [];
  for (const [file, { imports, packages, lines, text }] of graph) {
    const from = partOf(file);
    for (const target of imports) {
      const to = partOf(target);
      for (const [a, b, why] of NEVER) if (from === a && to === b) out.push(`${file} -> ${target}: ${why}`);
      if (file.startsWith("src/cli/") && target.startsWith("src/vault/")) out.push(`${file} -> ${target}: the CLI reaches the domain through src/vault.ts`);
      if (file.startsWith("src/cli/commands/") && target.startsWith("src/cli/commands/")) out.push(`${file} -> ${target}: a command imports a command`);
      if (file === "src/vault.ts" && !target.startsWith("src/vault/")) out.push(`${file} -> ${target}: the facade re-exports a lower layer`);
    }
    for (const pkg of packages) {
      if (pkg.startsWith("libsodium") && !file.startsWith("src/crypto/")) out.push(`${file} -> ${pkg}: only src/crypto loads libsodium`);
      if (pkg.startsWith("@inquirer/") && from === "Domain") out.push(`${file} -> ${pkg}: the domain never prompts`);
    }
    if (from === "Domain" && /\b(console\.|process\.std(out|err)\b)/.test(text)) out.push(`${file}: the domain never prints`);
    if (file.startsWith("src/cli/commands/") && lines > MAX_COMMAND_LINES) out.push(`${file}: ${lines} lines; a command is arguments, one domain call and output`);
  }
  // What the library loads, however indirectly, never reaches the CLI.
  const seen = new Set<string>();
  const visit = (file: string, via: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (partOf(file) === "CLI") out.push(`${via} loads ${file}: the library never loads the CLI`);
    for (const next of graph.get(file)?.imports ?? []) visit(next, via);
  };
  for (const entry of PARTS.Library!) visit(entry, entry);
  return out;
}

describe("the house's layers", () => {
  const graph = readGraph(path.resolve(import.meta.dirname, "../.."));

  it("names only parts it knows, and reads imports in every quoting", () => {
    for (const [from, to] of NEVER) expect([from, to].filter((part) => !(part in PARTS))).toEqual([]);
    const quoted = readGraphOf({ "src/cli/a.ts": `import { x } from '../crypto/index.js';\nconst y = await import('../keys/index.js');\nexport * from "../vault.js";\n` });
    expect(quoted.get("src/cli/a.ts")!.imports).toEqual(["src/crypto/index.ts", "src/keys/index.ts", "src/vault.ts"]);
  });

  it("reads the real source: every part has files and imports", () => {
    for (const part of Object.keys(PARTS)) expect([...graph.keys()].some((f) => partOf(f) === part), part).toBe(true);
    expect([...graph.values()].reduce((n, f) => n + f.imports.length, 0)).toBeGreaterThan(200);
    // Every import resolves to a file that exists: a misread path would hide an arrow.
    const missing = [...graph.values()].flatMap((f) => f.imports).filter((target) => !graph.has(target));
    expect(missing).toEqual([]);
  });

  it("holds: no import the house forbids", () => {
    expect(breaches(graph)).toEqual([]);
  });

  it("names a breach of every forbidden arrow", () => {
    const fileIn = (part: string) => (PARTS[part]![0]!.endsWith("/") ? `${PARTS[part]![0]}x.ts` : PARTS[part]![0]!);
    for (const [from, to, why] of NEVER) {
      const importer = fileIn(from);
      const target = fileIn(to);
      const bad: Graph = new Map([
        [importer, { imports: [target], packages: [], lines: 1, text: "" }],
        [target, { imports: [], packages: [], lines: 1, text: "" }],
      ]);
      expect(breaches(bad).join("\n"), `${from} -> ${to}`).toContain(`${importer} -> ${target}: ${why}`);
    }
  });

  it("names each kind of breach (the check can fail)", () => {
    const node = (imports: string[], packages: string[] = [], text = "", lines = 10) => ({ imports, packages, lines, text });
    const bad: Graph = new Map([
      ["src/index.ts", node(["src/loader.ts"])],
      ["src/loader.ts", node(["src/cli/output.ts"])],
      ["src/cli/output.ts", node([])],
      ["src/git/merge-state.ts", node(["src/vault/merge.ts"])],
      ["src/vault/merge.ts", node([], [], "process.stdout.write('x')")],
      ["src/cli/commands/set.ts", node(["src/cli/commands/resolve.ts", "src/vault/secrets.ts", "src/keys/index.ts"], ["libsodium-wrappers-sumo"], "", 200)],
      ["src/cli/commands/resolve.ts", node([])],
      ["src/vault.ts", node(["src/crypto/index.ts"])],
      ["src/vault/secrets.ts", node([], ["@inquirer/prompts"])],
    ]);
    const found = breaches(bad).join("\n");
    for (const expected of [
      "src/loader.ts -> src/cli/output.ts: the library never loads the CLI",
      "src/index.ts loads src/cli/output.ts",
      "git plumbing knows no vault types",
      "src/vault/merge.ts: the domain never prints",
      "a command imports a command",
      "the CLI reaches the domain through src/vault.ts",
      "one door to a key",
      "only src/crypto loads libsodium",
      "src/cli/commands/set.ts: 200 lines",
      "the facade re-exports a lower layer",
      "the domain never prompts",
    ]) {
      expect(found).toContain(expected);
    }
  });
});
