import { describe, expect, test } from "vitest";

import { errorCatalogue } from "./errorCatalogue.js";
import { VermilionError, isVermilionError } from "./VermilionError.js";

describe("VermilionError", () => {
  test("takes status, retryability and both languages' messages from the catalogue", () => {
    const error = new VermilionError("VALIDATION_FAILED", { field: "maxSupply", reason: "must be at least 1" });
    expect(error.code).toBe("VALIDATION_FAILED");
    expect(error.status).toBe(400);
    expect(error.retryable).toBe(false);
    expect(error.message).toBe("Invalid maxSupply: must be at least 1");
    expect(error.messageIn("zh-CN")).toBe("字段 maxSupply 无效：不能小于 1");
  });

  test("keeps its cause and is recognised by code", () => {
    const cause = new Error("ECONNREFUSED");
    const error = new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
    expect(error.cause).toBe(cause);
    expect(error.retryable).toBe(true);
    expect(isVermilionError(error, "CHAIN_UNAVAILABLE")).toBe(true);
    expect(isVermilionError(error, "NOT_FOUND")).toBe(false);
    expect(isVermilionError(cause)).toBe(false);
  });

  test("every catalogue entry has a 4xx/5xx status and a message in both languages with the same placeholders", () => {
    for (const [code, spec] of Object.entries(errorCatalogue)) {
      expect(spec.status, code).toBeGreaterThanOrEqual(400);
      expect(spec.status, code).toBeLessThan(600);
      const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
      expect(placeholders(spec.message["zh-CN"]), code).toEqual(placeholders(spec.message.en));
    }
  });
});
