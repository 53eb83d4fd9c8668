import type { RequestHandler } from "express";

import { VermilionError } from "../errors/VermilionError.js";

// No body this API reads is nested more than a few levels; 32 leaves room and bounds the walk.
const MAX_BODY_DEPTH = 32;

/**
 * Refuses a JSON body that the routes' own schemas should never have to meet:
 * 1. nested deeper than 32 levels (every walk of it, ours or a validator's, is then bounded);
 * 2. a NUL character in any string or key: PostgreSQL's text cannot store one, so it would fail deep
 *    in a write as a 500. Named by its path (`body.name`, `body.items.2.label`).
 */
export function refuseNulText(): RequestHandler {
  return (request, _response, next) => {
    const problem = findProblem(request.body);
    if (problem) throw new VermilionError("VALIDATION_FAILED", problem);
    next();
  };
}

interface Visit {
  value: unknown;
  key: string;
  parent: Visit | undefined;
  depth: number;
}

function pathOf(visit: Visit): string {
  const keys: string[] = [];
  for (let at: Visit | undefined = visit; at; at = at.parent) keys.push(at.key);
  return keys.reverse().join(".");
}

// Walked with a stack of its own and parent links, so the walk is linear in the body's size.
function findProblem(body: unknown): { field: string; reason: string } | null {
  const pending: Visit[] = [{ value: body, key: "body", parent: undefined, depth: 0 }];
  for (let visit = pending.pop(); visit; visit = pending.pop()) {
    const { value } = visit;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return { field: pathOf(visit), reason: "must not contain a NUL character" };
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    if (visit.depth >= MAX_BODY_DEPTH) return { field: "body", reason: `must be nested at most ${MAX_BODY_DEPTH} levels deep` };
    for (const [key, child] of Object.entries(value)) {
      if (key.includes("\u0000")) return { field: `${pathOf(visit)}.${key.replaceAll("\u0000", "\\0")}`, reason: "must not contain a NUL character" };
      pending.push({ value: child, key, parent: visit, depth: visit.depth + 1 });
    }
  }
  return null;
}
