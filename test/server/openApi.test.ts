import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import { describe, expect, test } from "vitest";

import { buildOpenApiDocument } from "../../server/openapi/openApiDocument.js";
import { apiRouteDocs } from "../../server/startup/createPlatformRouters.js";

const serverDir = path.resolve(import.meta.dirname, "..", "..", "server");

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts"))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

describe("the OpenAPI document", () => {
  test("documents every route the server registers, and nothing else", async () => {
    const registered = new Set<string>();
    for (const file of await sourceFiles(serverDir)) {
      const source = await readFile(file, "utf8");
      for (const match of source.matchAll(/router\.(get|post|put|delete)\(\s*"([^"]+)"/g)) {
        registered.add(`${match[1]} ${match[2]}`);
      }
      // Routes registered through a small helper: editionAction("/path", …), pauseAction("/path", …).
      for (const match of source.matchAll(/(?:editionAction|pauseAction)\(\s*"([^"]+)"/g)) registered.add(`post ${match[1]}`);
    }
    registered.delete("get /api/openapi.json");
    const documented = new Set(apiRouteDocs.map((route) => `${route.method} ${route.path}`));
    expect([...registered].sort()).toEqual([...documented].sort());
  });

  test("is OpenAPI 3.1 with request schemas taken from the zod validators", () => {
    const document = buildOpenApiDocument(apiRouteDocs, "test") as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            requestBody?: { content: Record<string, { schema: unknown }> };
            parameters: Array<{ name: string; in: string }>;
            responses: Record<string, { description: string }>;
          }
        >
      >;
    };
    expect(document.openapi).toBe("3.1.0");
    const mint = document.paths["/api/collections/{address}/editions/{editionId}/mint"]!.post!;
    expect(mint.parameters.map((parameter) => `${parameter.in}:${parameter.name}`)).toEqual([
      "path:address",
      "path:editionId",
      "header:idempotency-key",
    ]);
    expect(JSON.stringify(mint.requestBody!.content["application/json"]!.schema)).toContain("recipients");
    expect(mint.responses["429"]!.description).toMatch(/^RATE_LIMITED/);
    const issuers = document.paths["/api/issuers"]!.post!;
    expect(issuers.requestBody!.content["application/json"]!.schema).toMatchObject({
      type: "object",
      properties: { name: { type: "string" } },
      required: ["name"],
    });
  });
});
