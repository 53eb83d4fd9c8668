import type { z } from "zod";

/** One route as the OpenAPI document describes it, using the same zod schemas the route parses with. */
export interface RouteDoc {
  method: "get" | "post" | "put" | "delete";
  /** Express path, e.g. /api/collections/:address. */
  path: string;
  summary: string;
  auth: "none" | "admin" | "issuer";
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** Status codes this route answers with, and what each means. */
  responses: Record<number, string>;
}
