import { fileURLToPath } from "node:url";

import { defineConfig } from "vitest/config";

/** The verifier package from its sources, as tsconfig.json's `paths` say (its published build is its dist/). */
const resolve = {
  alias: [
    { find: /^vermilion-verify$/, replacement: fileURLToPath(new URL("packages/verifier/src/index.ts", import.meta.url)) },
    { find: /^vermilion-verify\/(.*)$/, replacement: fileURLToPath(new URL("packages/verifier/src/", import.meta.url)) + "$1" },
  ],
};

/**
 * Files that time the server (a liveness probe answering within 100 ms while it refuses upload bombs) run
 * after every other file, alone: beside another file's chain and database on two cores, the machine's
 * contention, not the server, decided their timings.
 */
const ALONE = ["test/server/uploadBombs.test.ts"];

const shared = {
  testTimeout: 60_000,
  hookTimeout: 120_000,
  pool: "forks",
} as const;

export default defineConfig({
  test: {
    projects: [
      {
        resolve,
        test: {
          ...shared,
          name: "parallel",
          include: ["server/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts", "packages/*/src/**/*.test.ts"],
          exclude: ["**/node_modules/**", ...ALONE],
          // Each file gets its own in-process Hardhat chain; two cores, so two at a time.
          maxWorkers: 2,
          // The browser tests serve web/dist: built once here, never by a file while another runs.
          globalSetup: ["test/support/buildWebOnce.ts"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        resolve,
        test: {
          ...shared,
          name: "alone",
          include: ALONE,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
