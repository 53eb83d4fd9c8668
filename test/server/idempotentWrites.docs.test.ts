import { describe, expect, test } from "vitest";

import { buildOpenApiDocument } from "../../server/openapi/openApiDocument.js";
import { apiRouteDocs } from "../../server/startup/createPlatformRouters.js";

describe("idempotent issuer writes in the OpenAPI document", () => {
  test("every POST an issuer or admin key makes takes an Idempotency-Key header (mints require it, the rest accept it)", () => {
    const document = buildOpenApiDocument(apiRouteDocs, "test") as {
      paths: Record<string, Record<string, { parameters: Array<{ name: string; in: string; required?: boolean }> }>>;
    };
    const writes = apiRouteDocs.filter((route) => route.method === "post" && route.auth !== "none");
    const missing = writes.filter((route) => {
      const openApiPath = route.path.replace(/:(\w+)/g, "{$1}");
      return !document.paths[openApiPath]!.post!.parameters.some((parameter) => parameter.in === "header" && parameter.name === "idempotency-key");
    });

    expect(writes.length).toBeGreaterThanOrEqual(10);
    expect(missing.map((route) => route.path)).toEqual([]);
  });
});
