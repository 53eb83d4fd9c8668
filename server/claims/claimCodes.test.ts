import { expect, test } from "vitest";

import { WELL_KNOWN_DEV_MNEMONIC } from "../config/loadConfig.js";
import { claimCodeOf, claimCodeSha256, deriveClaimCodeKey, groupClaimCode, normalizeClaimCode } from "./claimCodes.js";

const key = deriveClaimCodeKey(WELL_KNOWN_DEV_MNEMONIC);
const batchId = "0b9f6a4e-3c1d-4e5f-8a7b-123456789abc";

test("a code is 20 Crockford base32 characters (100 bits), the same every time it is derived, different per number, batch and key", () => {
  const code = claimCodeOf(key, batchId, 1);
  expect(code).toMatch(/^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{20}$/);
  expect(claimCodeOf(deriveClaimCodeKey(WELL_KNOWN_DEV_MNEMONIC), batchId, 1)).toBe(code);
  const codes = new Set(Array.from({ length: 10_000 }, (_, n) => claimCodeOf(key, batchId, n + 1)));
  expect(codes.size).toBe(10_000);
  expect(claimCodeOf(key, "0b9f6a4e-3c1d-4e5f-8a7b-123456789abd", 1)).not.toBe(code);
  const otherKey = deriveClaimCodeKey("legal winner thank year wave sausage worth useful legal winner thank yellow");
  expect(claimCodeOf(otherKey, batchId, 1)).not.toBe(code);
});

test("a typed code is normalized (case, dashes, spaces, I/L/O read as 1/0); anything else is not a code", () => {
  const code = claimCodeOf(key, batchId, 7);
  expect(normalizeClaimCode(groupClaimCode(code).toLowerCase())).toBe(code);
  expect(normalizeClaimCode(" 0123456789 abcdefghjk ")).toBe("0123456789ABCDEFGHJK");
  expect(normalizeClaimCode("OIL23456789ABCDEFGHJ")).toBe("01123456789ABCDEFGHJ");
  expect(normalizeClaimCode("U123456789ABCDEFGHJK")).toBeUndefined();
  expect(normalizeClaimCode("123")).toBeUndefined();
});

test("only the SHA-256 of a code is stored, and it is not the code", () => {
  const code = claimCodeOf(key, batchId, 1);
  expect(claimCodeSha256(code)).toMatch(/^[0-9a-f]{64}$/);
  expect(claimCodeSha256(code)).not.toContain(code);
});
