import { defineConfig } from "vitest/config";

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
        test: {
          ...shared,
          name: "parallel",
          include: ["server/**/*.test.ts", "scripts/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["**/node_modules/**", ...ALONE],
          // Each file gets its own in-process Hardhat chain; two cores, so two at a time.
          maxWorkers: 2,
          // The browser tests serve web/dist: built once here, never by a file while another runs.
          globalSetup: ["test/support/buildWebOnce.ts"],
          sequence: { groupOrder: 0 },
        },
      },
      {
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
