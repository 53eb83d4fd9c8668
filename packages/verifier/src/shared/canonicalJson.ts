/**
 * Serialise JSON canonically (RFC 8785 style): object keys sorted by UTF-16 code units, no
 * whitespace, ECMAScript number and string formatting. The same document therefore always gives the
 * same bytes and so the same CID. Values JSON cannot represent exactly are refused, not dropped.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON cannot hold ${value}`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(",")}]`;
  if (typeof value === "object") {
    if (value instanceof Date || typeof (value as { toJSON?: unknown }).toJSON === "function") {
      throw new TypeError("canonical JSON takes plain data; convert dates and CIDs to strings first");
    }
    const entries = Object.entries(value as Record<string, unknown>).filter(([, item]) => item !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}
