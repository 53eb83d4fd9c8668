import { z } from "zod";
import { describe, expect, test } from "vitest";

import type { VermilionError } from "../errors/VermilionError.js";
import { parseInput } from "./parseInput.js";

const mintBody = z
  .object({
    to: z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address"),
    quantity: z.number().int("must be an integer").min(1, "must be at least 1").max(500, "must be at most 500"),
  })
  .strict();

function failureOf(value: unknown): VermilionError {
  try {
    parseInput(mintBody, value, "body");
  } catch (error) {
    return error as VermilionError;
  }
  throw new Error("parsed");
}

describe("parseInput", () => {
  test("names the first bad field and lists every problem", () => {
    const error = failureOf({ to: "0x12", quantity: 0 });
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.details).toMatchObject({
      field: "body.to",
      reason: "must be a 0x-prefixed 20-byte hex address",
      problems: [
        { field: "body.to", reason: "must be a 0x-prefixed 20-byte hex address" },
        { field: "body.quantity", reason: "must be at least 1" },
      ],
    });
  });

  test("the Chinese message carries a Chinese reason, for our own reasons and for zod's", () => {
    const ours = failureOf({ to: "0x12", quantity: 1 });
    expect(ours.messageIn("zh-CN")).toBe("字段 body.to 无效：必须是以 0x 开头的 20 字节十六进制地址");
    expect(failureOf({ to: `0x${"ab".repeat(20)}`, quantity: 900 }).messageIn("zh-CN")).toBe("字段 body.quantity 无效：不能大于 500");

    const zods = failureOf({ to: `0x${"ab".repeat(20)}`, quantity: "three" });
    expect(zods.messageIn("en")).toMatch(/^Invalid body\.quantity: .*number/);
    expect(zods.messageIn("zh-CN")).toMatch(/^字段 body\.quantity 无效：.*[\u4e00-\u9fff]/);
    // details stay in English for programs; only the message is localized.
    expect(zods.details.reason).toMatch(/number/);
  });
});
