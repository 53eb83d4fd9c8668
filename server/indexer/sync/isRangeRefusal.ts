import { BaseError, HttpRequestError, ResponseBodyTooLargeError, RpcRequestError } from "viem";

const rangeRefusalMessage =
  /block range|range (is )?too (large|wide|big)|more than \d+ (results|logs|blocks)|too many (results|logs|blocks)|response size|max(imum)? (block )?range|exceed/i;

/**
 * Whether `error` is a node refusing an `eth_getLogs` range as too wide or too heavy (answered by a
 * smaller range), as opposed to a failure that the same range may survive on retry (rate limit, 5xx,
 * timeout). Providers disagree on codes, so the message decides among the usual ones:
 * 1. HTTP 413, or an answer larger than the client accepts (viem's ResponseBodyTooLargeError): refused.
 * 2. HTTP 429 or 5xx: not a refusal (retry the same range).
 * 3. JSON-RPC -32005, -32602, -32600, -32000 or -32001 whose message speaks of ranges or result counts: refused.
 */
export function isRangeRefusal(error: unknown): boolean {
  if (!(error instanceof BaseError)) return false;
  const http = error.walk((cause) => cause instanceof HttpRequestError) as HttpRequestError | null;
  if (http?.status === 413) return true;
  if (error.walk((cause) => cause instanceof ResponseBodyTooLargeError) instanceof ResponseBodyTooLargeError) return true;
  if (http?.status !== undefined && (http.status === 429 || http.status >= 500)) return false;
  const rpc = error.walk((cause) => cause instanceof RpcRequestError) as RpcRequestError | null;
  const code = rpc?.code ?? (error as { code?: number }).code;
  if (code === undefined || ![-32005, -32602, -32600, -32000, -32001].includes(code)) return false;
  const message = [rpc?.details, rpc?.shortMessage, error.details, error.shortMessage].join(" ");
  return rangeRefusalMessage.test(message);
}
