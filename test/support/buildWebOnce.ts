import path from "node:path";

import { build } from "vite";

/**
 * Vitest global setup: builds the front end (web/ → web/dist) once before any test file runs. Each
 * browser test file used to build it in its own beforeAll; with two files running at a time, one
 * file's build emptied web/dist under the other's open pages.
 */
export default async function buildWebOnce(): Promise<void> {
  await build({ configFile: path.resolve(import.meta.dirname, "..", "..", "web", "vite.config.ts"), logLevel: "warn" });
}
