import type { z } from "zod";

import { VermilionError } from "../errors/VermilionError.js";

/**
 * Parses request input with a zod schema; the first problem becomes VALIDATION_FAILED naming the field
 * (`body.maxSupply`, `params.address`), with every problem listed in `details.problems`.
 */
export function parseInput<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  where: "body" | "params" | "query" | "headers",
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String)].join("."),
    reason: issue.message,
  }));
  const first = problems[0]!;
  throw new VermilionError("VALIDATION_FAILED", { field: first.field, reason: first.reason, problems });
}
