import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";

import { ESLint } from "eslint";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const repoRoot = path.resolve(import.meta.dirname, "..", "..", "..");
const packageRoot = path.resolve(import.meta.dirname, "..");
const sourceDir = import.meta.dirname;
const manifest = JSON.parse(readFileSync(path.join(packageRoot, "package.json"), "utf8")) as { dependencies: Record<string, string> };

/** A repository path with forward slashes, as the messages print it. */
function repoPath(file: string): string {
  return path.relative(repoRoot, file).split(path.sep).join("/");
}

/** Every `.ts` file under `dir`, tests excluded: what the published package holds. */
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
  const found = [target.replace(/\.js$/, ".ts"), target].find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`${repoPath(fromFile)} imports ${specifier}, which resolves to no file`);
  return found;
}

/**
 * Follows every import (static, type-only, re-export and dynamic) transitively from `entryFiles`. A file
 * outside the package's sources, a package the manifest does not declare, or a Node built-in outside the
 * CLI (the library runs in browsers) is an offence, named with the import chain that reached it.
 */
function walkImportGraph(entryFiles: string[]): { reached: Set<string>; violations: string[] } {
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
    if (!file.startsWith(`${sourceDir}${path.sep}`)) {
      violations.push(`${chainTo(file)} (outside packages/verifier/src)`);
      continue;
    }
    const inCli = file.startsWith(path.join(sourceDir, "cli") + path.sep);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
    for (const { fileName: specifier } of importedFiles) {
      if (specifier.startsWith(".")) {
        const target = resolveRelative(file, specifier);
        if (reachedFrom.has(target)) continue;
        reachedFrom.set(target, file);
        queue.push(target);
      } else if (specifier.startsWith("node:")) {
        if (!inCli) violations.push(`${chainTo(file)} imports ${specifier} (a Node built-in outside the CLI: the library runs in browsers)`);
      } else if (!(packageName(specifier) in manifest.dependencies)) {
        violations.push(`${chainTo(file)} imports ${specifier} (not a dependency in packages/verifier/package.json)`);
      }
    }
  }
  return { reached: new Set([...reachedFrom.keys()].map(repoPath)), violations };
}

describe("vermilion-verify is a package of its own", () => {
  test("every file it loads, however indirectly, is its own; every package it imports is declared; Node built-ins only in the CLI", () => {
    const entries = libraryFiles(sourceDir);
    expect(entries.map(repoPath)).toContain("packages/verifier/src/verifyToken.ts");
    expect(entries.map(repoPath)).toContain("packages/verifier/src/cli/verify.ts");

    const { reached, violations } = walkImportGraph(entries);

    expect(violations).toEqual([]);
    expect(reached).toContain("packages/verifier/src/shared/addFile.ts");
  });

  test("the same walk from server/main.ts finds the platform, naming the chain (the walk can see a violation)", () => {
    const { violations } = walkImportGraph([path.join(repoRoot, "server/main.ts")]);

    expect(violations).toContainEqual("server/main.ts (outside packages/verifier/src)");
  });
});

describe("the ESLint rule on packages/verifier", () => {
  const eslint = new ESLint({ cwd: repoRoot });

  /** The `no-restricted-imports` findings ESLint reports for `code` saved at `file` (a repository path). */
  async function restrictedImports(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
    return result!.messages.filter((message) => message.ruleId === "no-restricted-imports").map((message) => message.message);
  }

  test.each([
    ["packages/verifier/src/probe.ts", 'import { migrate } from "../../../server/db/migrate.js";'],
    ["packages/verifier/src/content/probe.ts", 'import { readIndexedBlock } from "../../../../server/provenance/readIndexedBlock.js";'],
    ["packages/verifier/src/probe.ts", 'import { Router } from "express";'],
    ["packages/verifier/src/probe.ts", 'import pg from "pg";'],
    ["packages/verifier/src/probe.ts", 'import { PGlite } from "@electric-sql/pglite";'],
    ["packages/verifier/src/probe.ts", 'import { createHash } from "node:crypto";'],
  ])("fires in %s on: %s", async (file, importLine) => {
    const findings = await restrictedImports(file, `${importLine}\n`);

    expect(findings).toHaveLength(1);
    expect(findings[0]).toContain("vermilion-verify is the auditor's standalone package");
  });

  test("stays quiet on what the library may import, on node: in the CLI, and on the same imports in the platform", async () => {
    const allowed = ['import { VerifierError } from "./verifierError.js";', 'import { decodeTokenId } from "./shared/tokenIds.js";', 'import { getAddress } from "viem";'].join("\n");

    expect(await restrictedImports("packages/verifier/src/probe.ts", `${allowed}\n`)).toEqual([]);
    expect(await restrictedImports("packages/verifier/src/cli/probe.ts", 'import { readFile } from "node:fs/promises";\n')).toEqual([]);
    expect(await restrictedImports("server/audit/probe.ts", 'import { getToken } from "../provenance/getToken.js";\n')).toEqual([]);
  });
});
