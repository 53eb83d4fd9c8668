import { z } from "zod";

import { VermilionError } from "../../errors/VermilionError.js";

/** Statuses defined by the IPFS Pinning Service API. */
export const remotePinStatuses = ["queued", "pinning", "pinned", "failed"] as const;
export type RemotePinStatus = (typeof remotePinStatuses)[number];

const pinStatusSchema = z.object({
  requestid: z.string().min(1),
  status: z.enum(remotePinStatuses),
  created: z.string(),
  pin: z.object({ cid: z.string(), name: z.string().nullish() }).loose(),
  delegates: z.array(z.string()).default([]),
  info: z.record(z.string(), z.unknown()).nullish(),
});

export type PinStatusResponse = z.output<typeof pinStatusSchema>;

const pinResultsSchema = z.object({ count: z.number().int().nonnegative(), results: z.array(pinStatusSchema) });

/** The spec's error body: `{ error: { reason, details? } }`. */
const pinningErrorSchema = z.object({ error: z.object({ reason: z.string(), details: z.string().nullish() }) });

export interface PinningServiceClient {
  /** POST /pins: asks the service to pin `cid`; answers the new request's status (usually queued). */
  addPin(parameters: { cid: string; name: string; origins?: string[] }): Promise<PinStatusResponse>;
  /** GET /pins/{requestid}; undefined when the service does not know the request (404). */
  getPin(requestId: string): Promise<PinStatusResponse | undefined>;
  /** GET /pins?cid=…: the service's requests for `cid` in `statuses` (the spec's default is pinned only). */
  findPins(parameters: { cid: string; statuses: readonly RemotePinStatus[] }): Promise<PinStatusResponse[]>;
}

export interface CreatePinningServiceClientParameters {
  /** Service base URL, e.g. `https://api.pinata.cloud/psa` or an ipfs-cluster's pinsvc endpoint. */
  endpoint: string;
  accessToken: string;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A client for the IPFS Pinning Service API (implemented by Pinata, Filebase, ipfs-cluster…). Every
 * answer is validated with zod. Failures are typed by what to do next:
 * 1. 401 / 403: PINNING_SERVICE_UNAUTHORIZED (final: the token is wrong until someone changes it).
 * 2. 429, 5xx, a timeout, a network failure or a body that is not the spec's: PINNING_SERVICE_UNAVAILABLE
 *    (retryable; details.retryAfterMs carries a 429's or 503's Retry-After).
 * 3. Any other 4xx (400 bad CID, 409 insufficient funds…): PINNING_SERVICE_REJECTED (final), with the
 *    spec's `reason` and `details`.
 */
export function createPinningServiceClient(parameters: CreatePinningServiceClientParameters): PinningServiceClient {
  const endpoint = parameters.endpoint.replace(/\/+$/, "");
  const doFetch = parameters.fetch ?? fetch;
  const timeoutMs = parameters.timeoutMs ?? 30_000;

  const call = async (method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    let response: Response;
    let text: string;
    try {
      response = await doFetch(`${endpoint}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${parameters.accessToken}`,
          accept: "application/json",
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      const reason = error instanceof Error && error.name === "TimeoutError" ? `no answer within ${timeoutMs} ms` : errorMessage(error);
      throw new VermilionError("PINNING_SERVICE_UNAVAILABLE", { reason }, { cause: error });
    }
    const json = parseJson(text);
    if (response.ok) return { status: response.status, json };
    const spec = pinningErrorSchema.safeParse(json);
    const reason = spec.success ? [spec.data.error.reason, spec.data.error.details].filter(Boolean).join(": ") : `HTTP ${response.status}`;
    if (response.status === 401 || response.status === 403) {
      throw new VermilionError("PINNING_SERVICE_UNAUTHORIZED", { status: response.status });
    }
    if (response.status === 429 || response.status >= 500) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
      throw new VermilionError("PINNING_SERVICE_UNAVAILABLE", {
        reason: `HTTP ${response.status}: ${reason}`,
        status: response.status,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    if (response.status === 404 && method === "GET") return { status: 404, json: undefined };
    throw new VermilionError("PINNING_SERVICE_REJECTED", { status: response.status, reason });
  };

  const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      throw new VermilionError("PINNING_SERVICE_UNAVAILABLE", { reason: "the answer is not the Pinning Service API's" }, { cause: parsed.error });
    }
    return parsed.data;
  };

  return {
    async addPin({ cid, name, origins }) {
      const { json } = await call("POST", "/pins", { cid, name, ...(origins && origins.length > 0 ? { origins } : {}) });
      return parse(pinStatusSchema, json);
    },
    async getPin(requestId) {
      const { status, json } = await call("GET", `/pins/${encodeURIComponent(requestId)}`);
      return status === 404 ? undefined : parse(pinStatusSchema, json);
    },
    async findPins({ cid, statuses }) {
      const query = new URLSearchParams({ cid, status: statuses.join(","), limit: "10" });
      const { status, json } = await call("GET", `/pins?${query.toString()}`);
      return status === 404 ? [] : parse(pinResultsSchema, json).results;
    },
  };
}

function errorMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

/** JSON, or undefined for a body that is not (a proxy's HTML page, a truncated answer). */
function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Retry-After as delta-seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
