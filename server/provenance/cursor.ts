import { VermilionError } from "../errors/VermilionError.js";

/** An opaque page cursor: the sort key of the last item served, base64url-encoded. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(parts.join(":"), "utf8").toString("base64url");
}

/** What one part of a cursor holds: a stored (lowercase) address, or an int8 the database compares. */
export type CursorPart = "address" | "int8";

const INT8_MAX = 2n ** 63n - 1n;

function isPart(kind: CursorPart, text: string): boolean {
  if (kind === "address") return /^0x[0-9a-f]{40}$/.test(text);
  return /^\d{1,19}$/.test(text) && BigInt(text) <= INT8_MAX;
}

/**
 * Reads a cursor written by `encodeCursor` whose parts are `kinds`; anything else (garbage, or a forged
 * cursor whose number the database could not hold) is a VALIDATION_FAILED on `cursor`, never a query.
 */
export function decodeCursor(cursor: string, kinds: readonly CursorPart[]): string[] {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split(":");
  if (parts.length !== kinds.length || parts.some((part, index) => !isPart(kinds[index]!, part))) {
    throw new VermilionError("VALIDATION_FAILED", { field: "cursor", reason: "not a cursor this API returned" });
  }
  return parts;
}
