import type { RequestHandler } from "express";

import { VermilionError } from "../errors/VermilionError.js";

/**
 * Refuses a JSON body holding a NUL character in any string or key: PostgreSQL's text cannot store one,
 * so it would fail deep in a write as a 500. Named by its path (`body.name`, `body.items.2.label`).
 */
export function refuseNulText(): RequestHandler {
  return (request, _response, next) => {
    const path = nulPath(request.body, ["body"]);
    if (path) throw new VermilionError("VALIDATION_FAILED", { field: path.join("."), reason: "must not contain a NUL character" });
    next();
  };
}

// Walked with a stack of its own: a body nested 100,000 deep must not overflow the call stack.
function nulPath(body: unknown, root: string[]): string[] | null {
  const pending: Array<{ value: unknown; path: string[] }> = [{ value: body, path: root }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === "string") {
      if (value.includes("\u0000")) return path;
      continue;
    }
    if (value === null || typeof value !== "object") continue;
    for (const [key, child] of Object.entries(value)) {
      if (key.includes("\u0000")) return [...path, key.replaceAll("\u0000", "\\0")];
      pending.push({ value: child, path: [...path, key] });
    }
  }
  return null;
}
