import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/", "node_modules/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: "readonly", console: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly", Buffer: "readonly" },
    },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name='process'][callee.property.name='exit']", message: "only src/cli/main.ts decides the exit code" },
      ],
    },
  },
  {
    // The preloads (`-r`/`--import sealenv/config`) must stop the app when there is no key.
    files: ["src/cli/main.ts", "src/config.ts", "src/config-sync.ts", "bin/**", "test/**", "bench/**", "scripts/**"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // CommonJS on purpose: the benchmark floor, and the bin, which starts fastest this way.
    files: ["bench/**/*.cjs", "bin/**"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
