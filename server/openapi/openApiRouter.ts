import type { Router } from "express";
import type { RouteDoc } from "../http/routeDoc.js";

import express from "express";

import { buildOpenApiDocument } from "./openApiDocument.js";

/** `GET /api/openapi.json`: the API described from the routes' own schemas. */
export function createOpenApiRouter(routes: readonly RouteDoc[], version: string): Router {
  const document = buildOpenApiDocument(
    [
      ...routes,
      {
        method: "get",
        path: "/api/openapi.json",
        summary: "This document",
        auth: "none",
        responses: { 200: "OpenAPI 3.1" },
      },
    ],
    version,
  );
  const router = express.Router();
  router.get("/api/openapi.json", (_request, response) => {
    response.json(document);
  });
  return router;
}
