import { mkdir, rm } from "node:fs/promises";

/**
 * Empties and recreates the directory uploads stream into. At start no upload is in flight, so
 * whatever is there was left by a process that died mid-upload.
 */
export async function prepareUploadDirectory(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
  await mkdir(directory, { recursive: true, mode: 0o700 });
}
