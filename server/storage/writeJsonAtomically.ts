import { randomBytes } from "node:crypto";
import { rename, writeFile } from "node:fs/promises";

/**
 * Write JSON to `file` so that readers (and a restart after a crash) see either the old or the new
 * document, never half of one: write a unique temp file, flush it to disk, rename it into place.
 */
export async function writeJsonAtomically(file: string, value: unknown): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  await writeFile(temporary, JSON.stringify(value), { flush: true });
  await rename(temporary, file);
}
