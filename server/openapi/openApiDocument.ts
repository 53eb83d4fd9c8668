import type { RouteDoc } from "../http/routeDoc.js";

import { z } from "zod";

import { errorCatalogue } from "../errors/errorCatalogue.js";

function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:(\w+)/g, "{$1}");
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<
    string,
    unknown
  >;
  return rest;
}

function parametersOf(schema: z.ZodObject | undefined, location: "path" | "query" | "header") {
  if (!schema) return [];
  const shape = schema.shape as Record<string, z.ZodType>;
  return Object.entries(shape).map(([name, field]) => ({
    name,
    in: location,
    required: location === "path" || !field.safeParse(undefined).success,
    schema: jsonSchema(field),
  }));
}

const errorResponseSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "details"],
      properties: {
        code: { type: "string", enum: Object.keys(errorCatalogue) },
        message: { type: "string", description: "In the language of Accept-Language (zh-CN or en)." },
        details: { type: "object", description: "Values behind the message; `field` names the bad input." },
        requestId: { type: "string", description: "The request's X-Request-Id, which the server's log lines of it carry." },
      },
    },
  },
};

/** Builds the OpenAPI 3.1 document from the routes' own zod schemas, so it cannot drift from validation. */
export function buildOpenApiDocument(routes: readonly RouteDoc[], version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(route.responses)) {
      responses[status] =
        Number(status) >= 400
          ? { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } }
          : { description };
    }
    // Every /api and /ipfs route counts against a request limit (server/http/rateLimits.ts).
    if (/^\/(api|ipfs)\//.test(route.path)) {
      responses["429"] ??= {
        description: "RATE_LIMITED: past a request limit; Retry-After and the RateLimit headers say when to retry",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      };
    }
    (paths[toOpenApiPath(route.path)] ??= {})[route.method] = {
      summary: route.summary,
      ...(route.auth === "none" ? {} : { security: [{ bearer: [] }], "x-vermilion-role": route.auth }),
      parameters: [
        ...parametersOf(route.params, "path"),
        ...parametersOf(route.query, "query"),
        ...parametersOf(route.headers, "header"),
      ],
      ...(route.body
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(route.body) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "Vermilion API",
      version,
      description: "Numbered limited editions with provenance anyone can verify. Errors: { error: { code, message, details } }.",
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API key (vmn_…)." } },
      schemas: { Error: errorResponseSchema },
    },
    paths,
  };
}
