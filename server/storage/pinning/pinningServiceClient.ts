import type { CID } from "multiformats/cid";

import { z } from "zod";
import { VermilionError } from "../../errors/VermilionError.js";

/** Statuses defined by the IPFS Pinning Service API. */
export const remotePinStatuses = ["queued", "pinning", "pinned", "failed"] as const;
export type RemotePinStatus = (typeof remotePinStatuses)[number];

const pinStatusSchema = z.object({
  requestid: z.string().min(1),
  status: z.enum(remotePinStatuses),
  created: z.string(),
  pin: z.object({ cid: z.string(), name: z.string().optional() }).loose(),
  delegates: z.array(z.string()).default([]),
  info: z.record(z.string(), z.unknown()).optional(),
});

export type PinStatusResponse = z.output<typeof pinStatusSchema>;

const pinResultsSchema = z.object({ count: z.number().int().nonnegative(), results: z.array(pinStatusSchema) });

export type PinningServiceClient = {
  addPin(params: { cid: CID; name: string; origins?: string[] }): Promise<PinStatusResponse>;
  getPin(requestId: string): Promise<PinStatusResponse>;
  removePin(requestId: string): Promise<void>;
  listPins(params: { cid?: CID; status?: RemotePinStatus[] }): Promise<PinStatusResponse[]>;
};

export type CreatePinningServiceClientParameters = {
  /** Service base URL, e.g. `https://api.pinata.cloud/psa` or an ipfs-cluster's pinsvc endpoint. */
  endpoint: string;
  accessToken: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
};

/**
 * A client for the IPFS Pinning Service API (implemented by Pinata, Filebase, ipfs-cluster…).
 * Responses are validated with zod; a 4xx is PINNING_SERVICE_REJECTED (final), a 5xx, timeout or
 * network failure PINNING_SERVICE_UNAVAILABLE (retryable).
 */
export function createPinningServiceClient(params: CreatePinningServiceClientParameters): PinningServiceClient {
  const endpoint = params.endpoint.replace(/\/+$/, "");
  const doFetch = params.fetch ?? fetch;

  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    let response: Response;
    try {
      response = await doFetch(`${endpoint}${path}`, {
        method,
        headers: { authorization: `Bearer ${params.accessToken}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(params.timeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new VermilionError("PINNING_SERVICE_UNAVAILABLE", { reason: error instanceof Error ? error.message : String(error) }, { cause: error });
    }
    const text = await response.text();
    if (response.status >= 500) throw new VermilionError("PINNING_SERVICE_UNAVAILABLE", { reason: `HTTP ${response.status}` });
    if (response.status >= 400) {
      const reason = (safeJson(text) as { error?: { reason?: string; details?: string } } | undefined)?.error;
      throw new VermilionError("PINNING_SERVICE_REJECTED", { status: response.status, reason: [reason?.reason, reason?.details].filter(Boolean).join(": ") || "no reason given" });
    }
    return text === "" ? undefined : safeJson(text);
  };

  const parse = <T>(schema: z.ZodType<T>, value: unknown): T => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new VermilionError("PINNING_SERVICE_UNAVAILABLE", { reason: `unexpected response: ${parsed.error.message}` }, { cause: parsed.error });
    return parsed.data;
  };

  return {
    async addPin({ cid, name, origins }) {
      return parse(pinStatusSchema, await call("POST", "/pins", { cid: cid.toString(), name, ...(origins === undefined ? {} : { origins }) }));
    },
    async getPin(requestId) {
      return parse(pinStatusSchema, await call("GET", `/pins/${encodeURIComponent(requestId)}`));
    },
    async removePin(requestId) {
      await call("DELETE", `/pins/${encodeURIComponent(requestId)}`);
    },
    async listPins({ cid, status }) {
      const query = new URLSearchParams();
      if (cid !== undefined) query.set("cid", cid.toString());
      if (status !== undefined) query.set("status", status.join(","));
      return parse(pinResultsSchema, await call("GET", `/pins?${query.toString()}`)).results;
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
