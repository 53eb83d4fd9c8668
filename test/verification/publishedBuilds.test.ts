import { readFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, test } from "vitest";

import { publishedBuilds } from "vermilion-verify/abis/publishedBuilds.js";

const root = path.resolve(import.meta.dirname, "..", "..");

describe("published builds", () => {
  test("docs/verification.md lists every published build with the fingerprints the verifier knows, and no other", async () => {
    const doc = await readFile(path.join(root, "docs", "verification.md"), "utf8");
    const rows = doc.split("\n").filter((line) => /^\| `[a-z]+` \|/.test(line));
    const documented = rows.map((row) => {
      const [name, , factory, implementation] = row.split("|").slice(1).map((cell) => cell.trim().replaceAll("`", ""));
      return { name, factory, implementation };
    });
    expect(documented).toEqual(publishedBuilds.map((build) => ({ name: build.name, factory: build.factory.codeHash, implementation: build.implementation.codeHash })));
  });
});
