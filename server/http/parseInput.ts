import { z } from "zod";

import { translateReason } from "../errors/translateReason.js";
import { VermilionError } from "../errors/VermilionError.js";

const zhCNErrorMap = z.locales.zhCN().localeError;

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
  // The same parse with zod's Chinese messages; reasons our schemas wrote themselves stay English there
  // and are translated from our own list.
  const chineseIssue = schema.safeParse(value, { error: zhCNErrorMap }).error?.issues[0];
  const chineseReason = translateReason(chineseIssue?.message ?? first.reason, "zh-CN");
  throw new VermilionError(
    "VALIDATION_FAILED",
    { field: first.field, reason: first.reason, problems },
    { localizedDetails: { "zh-CN": { reason: chineseReason } } },
  );
}
