import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // End-to-end tests spawn the real binary and Argon2id needs 256 MiB per unlock:
    // two workers keep a 2-core machine from thrashing.
    maxWorkers: 2,
  },
});
