import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { ESLint } from "eslint";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const verifierDir = import.meta.dirname;

/** What an auditor's machine does not have: the platform's database, index, provenance read model and adapters. */
const FORBIDDEN_FOLDERS = ["server/db", "server/indexer", "server/provenance", "server/audit"];
/** The platform's HTTP server and database drivers. */
const FORBIDDEN_PACKAGES = ["express", "pg", "@electric-sql/pglite"];

/** A repository path with forward slashes, as the messages print it. */
function repoPath(file: string): string {
  return path.relative(repoRoot, file).split(path.sep).join("/");
}

/** Every `.ts` file under `dir`, tests excluded: what `vermilion-verify` can load. */
function libraryFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return libraryFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [full] : [];
  });
}

/** A bare specifier's package name (`@scope/name/sub` → `@scope/name`, `viem/accounts` → `viem`). */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

/** A relative import's source file: NodeNext spells `./x.js` for `./x.ts`. */
function resolveRelative(fromFile: string, specifier: string): string {
  const target = path.resolve(path.dirname(fromFile), specifier);
  const candidates = [target.replace(/\.js$/, ".ts"), target];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`${repoPath(fromFile)} imports ${specifier}, which resolves to no file`);
  return found;
}

interface ImportGraphWalk {
  /** Every source file reached, the starting files included. */
  reached: Set<string>;
  /** One line per offence, naming the import chain from a starting file. */
  violations: string[];
}

/**
 * Follows every import (static, type-only, re-export and dynamic) transitively from `entryFiles`, through
 * the repository's own files; packages are checked by name and not entered.
 */
function walkImportGraph(entryFiles: string[]): ImportGraphWalk {
  const reachedFrom = new Map<string, string | null>(entryFiles.map((file) => [file, null]));
  const queue = [...entryFiles];
  const violations: string[] = [];

  const chainTo = (file: string): string => {
    const chain: string[] = [];
    for (let at: string | null | undefined = file; at; at = reachedFrom.get(at)) chain.unshift(repoPath(at));
    return chain.join(" -> ");
  };

  while (queue.length > 0) {
    const file = queue.shift()!;
    const inForbiddenFolder = FORBIDDEN_FOLDERS.find((folder) => repoPath(file).startsWith(`${folder}/`));
    if (inForbiddenFolder) {
      violations.push(`${chainTo(file)} (${inForbiddenFolder} is platform)`);
      continue;
    }
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (specifier.startsWith(".")) {
        const target = resolveRelative(file, specifier);
        if (reachedFrom.has(target)) continue;
        reachedFrom.set(target, file);
        queue.push(target);
      } else if (!specifier.startsWith("node:") && FORBIDDEN_PACKAGES.includes(packageName(specifier))) {
        violations.push(`${chainTo(file)} imports ${specifier}`);
      }
    }
  }
  return { reached: new Set([...reachedFrom.keys()].map(repoPath)), violations };
}

describe("server/verifier is a library with no platform in it", () => {
  test("no file the library loads, however indirectly, is under server/db, indexer, provenance or audit, or imports express, pg or PGlite", () => {
    const entries = libraryFiles(verifierDir);
    expect(entries.map(repoPath)).toContain("server/verifier/verifyToken.ts");

    const { reached, violations } = walkImportGraph(entries);

    expect(violations).toEqual([]);
    // The walk left the folder: it follows imports into the shared helpers the library is allowed.
    expect(reached).toContain("server/storage/walkDag.ts");
    expect(reached).toContain("server/errors/errorCatalogue.ts");
  });

  test("vermilion-verify (scripts/verify.ts) takes from server/ only the library and VermilionError, and reaches no platform", () => {
    const cli = path.join(repoRoot, "scripts/verify.ts");
    const fromServer = ts
      .preProcessFile(readFileSync(cli, "utf8"), true, true)
      .importedFiles.map(({ fileName }) => fileName)
      .filter((specifier) => specifier.startsWith("../server/"));

    expect(fromServer.filter((specifier) => !specifier.startsWith("../server/verifier/"))).toEqual(["../server/errors/VermilionError.js"]);
    expect(walkImportGraph([cli]).violations).toEqual([]);
  });

  test("the same walk from server/main.ts finds the platform, naming the chain (the walk can see a violation)", () => {
    const { violations } = walkImportGraph([path.join(repoRoot, "server/main.ts")]);

    expect(violations).toContainEqual(expect.stringMatching(/^server\/main\.ts -> .*server\/startup\/createPlatformRouters\.ts -> server\/audit\/auditRouter\.ts \(server\/audit is platform\)$/));
    expect(violations).toContainEqual(expect.stringMatching(/^server\/main\.ts -> .*server\/db\/\S+\.ts \(server\/db is platform\)$/));
    expect(violations).toContainEqual(expect.stringMatching(/^server\/main\.ts -> .* imports express$/));
  });
});

describe("the ESLint rule on server/verifier", () => {
  const eslint = new ESLint({ cwd: repoRoot });

  /** The `no-restricted-imports` findings ESLint reports for `code` saved at `file` (a repository path). */
  async function restrictedImports(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
    return result!.messages.filter((message) => message.ruleId === "no-restricted-imports").map((message) => message.message);
  }

  test.each([
    ["server/verifier/probe.ts", 'import { migrate } from "../db/migrate.js";'],
    ["server/verifier/probe.ts", 'import type { Queryable } from "../db/Database.js";'],
    ["server/verifier/probe.ts", 'import { createIndexer } from "../indexer/createIndexer.js";'],
    ["server/verifier/probe.ts", 'import { getToken } from "../provenance/getToken.js";'],
    ["server/verifier/probe.ts", 'export { createAuditRouter } from "../audit/auditRouter.js";'],
    ["server/verifier/content/probe.ts", 'import { readIndexedBlock } from "../../provenance/readIndexedBlock.js";'],
    ["server/verifier/probe.ts", 'import { Router } from "express";'],
    ["server/verifier/probe.ts", 'import pg from "pg";'],
    ["server/verifier/probe.ts", 'import { PGlite } from "@electric-sql/pglite";'],
    ["server/verifier/probe.ts", 'import { vector } from "@electric-sql/pglite/vector";'],
  ])("fires in %s on: %s", async (file, importLine) => {
    const findings = await restrictedImports(file, `${importLine}\n`);

    expect(findings).toHaveLength(1);
    expect(findings[0]).toContain("server/verifier is the auditor's standalone library");
  });

  test("stays quiet on what the library may import, and on the same platform import outside server/verifier", async () => {
    const allowed = [
      'import { VermilionError } from "../errors/VermilionError.js";',
      'import { blockKey } from "../storage/walkDag.js";',
      'import { decodeTokenId } from "../tokens/tokenIds.js";',
      'import { getAddress } from "viem";',
    ].join("\n");

    expect(await restrictedImports("server/verifier/probe.ts", `${allowed}\n`)).toEqual([]);
    expect(await restrictedImports("server/audit/probe.ts", 'import { getToken } from "../provenance/getToken.js";\n')).toEqual([]);
  });
});
