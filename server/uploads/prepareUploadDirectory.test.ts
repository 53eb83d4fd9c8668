import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterEach, expect, test } from "vitest";

import { prepareUploadDirectory } from "./prepareUploadDirectory.js";

let root: string | undefined;

afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

test("removes what a dead process left in the upload directory and keeps the directory", async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "vermilion-uploads-"));
  const directory = path.join(root, "tmp", "uploads");
  await mkdir(path.join(directory, "nested"), { recursive: true });
  await writeFile(path.join(directory, "0b7c.upload"), "half an upload");
  await writeFile(path.join(directory, "nested", "left.upload"), "x");

  await prepareUploadDirectory(directory);

  expect(await readdir(directory)).toEqual([]);
  expect((await stat(directory)).isDirectory()).toBe(true);
});

test("creates the directory on a first start", async () => {
  root = await mkdtemp(path.join(os.tmpdir(), "vermilion-uploads-"));
  const directory = path.join(root, "tmp", "uploads");

  await prepareUploadDirectory(directory);

  expect(await readdir(directory)).toEqual([]);
});
