import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["server/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file gets its own in-process Hardhat chain; two cores, so two at a time.
    pool: "forks",
    maxWorkers: 2,
  },
});
