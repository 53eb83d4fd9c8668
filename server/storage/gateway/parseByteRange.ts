export type ByteRange = { start: number; end: number };

export type ParseByteRangeReturnType =
  | { kind: "none" }
  | { kind: "range"; range: ByteRange }
  | { kind: "unsatisfiable" };

/**
 * Interpret a `Range` header against a representation of `sizeBytes` (RFC 9110 §14). Only one
 * `bytes=` range is honoured; a multi-range or non-bytes request is answered with the full body,
 * which the RFC allows.
 *
 * Cases: `bytes=a-b` (end clamped to the size), `bytes=a-` (to the end), `bytes=-n` (the last n bytes).
 */
export function parseByteRange(header: string | undefined, sizeBytes: number): ParseByteRangeReturnType {
  if (header === undefined) return { kind: "none" };
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (match === null) return { kind: "none" };
  const [, first, last] = match as unknown as [string, string, string];
  if (first === "" && last === "") return { kind: "none" };
  if (first === "") {
    const suffix = Number(last);
    if (suffix === 0 || sizeBytes === 0) return { kind: "unsatisfiable" };
    return { kind: "range", range: { start: Math.max(0, sizeBytes - suffix), end: sizeBytes - 1 } };
  }
  const start = Number(first);
  const end = last === "" ? sizeBytes - 1 : Math.min(Number(last), sizeBytes - 1);
  if (start >= sizeBytes || (last !== "" && Number(last) < start)) return { kind: "unsatisfiable" };
  return { kind: "range", range: { start, end } };
}
