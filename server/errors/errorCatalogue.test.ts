import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { expect, test } from "vitest";

import { errorCatalogue } from "./errorCatalogue.js";
import { translateReason } from "./translateReason.js";

const root = path.resolve(import.meta.dirname, "../..");

async function sourcesUnder(directory: string): Promise<Array<{ file: string; text: string }>> {
  const entries = await readdir(path.join(root, directory), { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
  return Promise.all(files.map(async (file) => ({ file: path.relative(root, file), text: await readFile(file, "utf8") })));
}

const codes = Object.keys(errorCatalogue);

test("every catalogue code is raised by the server (no dead entries)", async () => {
  const sources = (await sourcesUnder("server")).filter(
    (source) => !source.file.endsWith(".test.ts") && !source.file.endsWith("errorCatalogue.ts"),
  );
  const unused = codes.filter((code) => !sources.some((source) => source.text.includes(`"${code}"`)));
  expect(unused).toEqual([]);
});

test("every catalogue code is asserted by at least one test", async () => {
  const tests = [...(await sourcesUnder("server")), ...(await sourcesUnder("test"))].filter(
    (source) => source.file.endsWith(".test.ts") && !source.file.endsWith("errorCatalogue.test.ts"),
  );
  const untested = codes.filter((code) => !tests.some((source) => source.text.includes(code)));
  expect(untested).toEqual([]);
});

test("every validation reason the server writes (\"must …\") has a Chinese translation", async () => {
  const sources = (await sourcesUnder("server")).filter((source) => !source.file.endsWith(".test.ts"));
  const reasons = new Set<string>();
  for (const source of sources) {
    for (const match of source.text.matchAll(/["`](must [^"`]*)["`]/g)) reasons.add(match[1]!.replace(/\$\{[^}]*\}/g, "10"));
  }
  expect(reasons.size).toBeGreaterThan(10);
  const untranslated = [...reasons].filter((reason) => translateReason(reason, "zh-CN") === reason);
  expect(untranslated).toEqual([]);
});
