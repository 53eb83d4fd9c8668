import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import ts from "typescript";
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

/** The callee's leftmost name: `expect` for `expect(x).rejects.toMatchObject`, `expectRejected` for `expectRejected(…)`. */
function rootName(callee: ts.Expression): string | undefined {
  let expression = callee;
  while (ts.isPropertyAccessExpression(expression) || ts.isCallExpression(expression) || ts.isElementAccessExpression(expression)) {
    expression = expression.expression;
  }
  return ts.isIdentifier(expression) ? expression.text : undefined;
}

/**
 * The catalogue codes written as string literals in `text` (so comments and longer strings such as
 * test titles never count). With `inAssertion`, only literals inside an `expect(…)`/`assert…(…)`
 * call or a helper named `expect…` count, and none that is an argument of `new VermilionError`
 * (a test raising a code is not a test asserting it).
 */
function codeLiterals(file: string, text: string, { inAssertion }: { inAssertion: boolean }): Set<string> {
  const found = new Set<string>();
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const asserted = (literal: ts.Node): boolean => {
    for (let node = literal.parent; !ts.isSourceFile(node); node = node.parent) {
      if (ts.isNewExpression(node) && rootName(node.expression) === "VermilionError") return false;
      if (ts.isCallExpression(node) && /^(expect|assert)/.test(rootName(node.expression) ?? "")) return true;
    }
    return false;
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && node.text in errorCatalogue) {
      if (!inAssertion || asserted(node)) found.add(node.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test("every catalogue code is raised by the server (no dead entries)", async () => {
  // The verifier package raises its own VerifierError, whose codes the platform re-raises as these (fromVerifierError).
  const sources = [...(await sourcesUnder("server")), ...(await sourcesUnder("packages/verifier/src"))].filter(
    (source) => !source.file.endsWith(".test.ts") && !source.file.endsWith("errorCatalogue.ts"),
  );
  const raised = new Set(sources.flatMap((source) => [...codeLiterals(source.file, source.text, { inAssertion: false })]));
  const unused = codes.filter((code) => !raised.has(code));
  expect(unused).toEqual([]);
});

test("every catalogue code is asserted by at least one test", async () => {
  const tests = [...(await sourcesUnder("server")), ...(await sourcesUnder("test")), ...(await sourcesUnder("packages/verifier/src"))].filter(
    (source) => source.file.endsWith(".test.ts") && !source.file.endsWith("errorCatalogue.test.ts"),
  );
  const asserted = new Set(tests.flatMap((source) => [...codeLiterals(source.file, source.text, { inAssertion: true })]));
  const untested = codes.filter((code) => !asserted.has(code));
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

test("a 5xx whose message quotes another system ({reason}) has a client message of its own, with no placeholder", () => {
  const quoting = Object.entries(errorCatalogue).filter(([, spec]) => spec.status >= 500 && spec.message.en.includes("{reason}"));
  expect(quoting.map(([code]) => code)).toContain("IPFS_NODE_UNAVAILABLE");
  for (const [code, spec] of quoting) {
    const clientMessage = (spec as { clientMessage?: { en: string; "zh-CN": string } }).clientMessage;
    expect(clientMessage, code).toBeDefined();
    expect(`${clientMessage!.en} ${clientMessage!["zh-CN"]}`, code).not.toMatch(/\{\w+\}/);
  }
});
