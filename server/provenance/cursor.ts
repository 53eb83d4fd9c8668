import { VermilionError } from "../errors/VermilionError.js";

/** An opaque page cursor: the sort key of the last item served, base64url-encoded. */
export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(parts.join(":"), "utf8").toString("base64url");
}

/** Reads a cursor of `count` parts written by `encodeCursor`; a malformed one is a VALIDATION_FAILED on `cursor`. */
export function decodeCursor(cursor: string, count: number): string[] {
  const parts = Buffer.from(cursor, "base64url").toString("utf8").split(":");
  if (parts.length !== count || parts.some((part) => !/^[0-9a-zx]+$/.test(part))) {
    throw new VermilionError("VALIDATION_FAILED", { field: "cursor", reason: "not a cursor this API returned" });
  }
  return parts;
}
