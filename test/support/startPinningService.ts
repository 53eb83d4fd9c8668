
import { createServer, type ServerResponse } from "node:http";

import { listenOnLoopback } from "./listen.js";

/** A scripted answer the service gives instead of the normal one, for the next matching request. */
export type PinningServiceFault =
  | { kind: "status"; status: number; retryAfter?: string; reason?: string }
  | { kind: "malformed" }
  | { kind: "hang" };

export interface PinningService {
  url: string;
  /** Every request as `METHOD /path?query`, in order. */
  requests: string[];
  /** The next requests (of any endpoint) get these answers, in order, before normal service resumes. */
  failNext(...faults: PinningServiceFault[]): void;
  /** Pins by CID as the service holds them (its own request ids). */
  pinsOf(cid: string): Array<{ requestid: string; status: string; name: string }>;
  /** Makes every request for `cid` finish as `failed` instead of pinned. */
  failPinsOf(cid: string): void;
  close(): Promise<void>;
}

/**
 * Our own implementation of the IPFS Pinning Service API's endpoints the platform uses (POST /pins,
 * GET /pins with cid and status filters, GET /pins/{requestid}), with bearer-token auth and the spec's
 * error body `{ error: { reason, details } }`: no public service is reachable from the tests. Each GET
 * of a request moves it one step queued → pinning → pinned, as a service fetching the content would.
 */
export async function startPinningService(parameters: { token: string }): Promise<PinningService> {
  const requests: string[] = [];
  const faults: PinningServiceFault[] = [];
  const failingCids = new Set<string>();
  const pins = new Map<string, { cid: string; name: string; step: number; created: string }>();
  const hung = new Set<ServerResponse>();
  const steps = ["queued", "pinning", "pinned"];

  const statusOf = (requestid: string) => {
    const pin = pins.get(requestid)!;
    const status = failingCids.has(pin.cid) && pin.step >= 1 ? "failed" : steps[Math.min(pin.step, steps.length - 1)]!;
    return {
      requestid,
      status,
      created: pin.created,
      pin: { cid: pin.cid, name: pin.name },
      delegates: ["/dns4/pins.test/tcp/4001/p2p/12D3KooWPinningServiceTestPeer"],
      info: status === "failed" ? { status_details: "content not found on the network" } : {},
    };
  };

  const server = createServer(async (request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers }).end(body === undefined ? "" : JSON.stringify(body));
    };
    const refuse = (status: number, reason: string, details?: string) => send(status, { error: { reason, ...(details ? { details } : {}) } });

    const fault = faults.shift();
    if (fault?.kind === "hang") {
      hung.add(response);
      return;
    }
    if (fault?.kind === "malformed") {
      response.writeHead(200, { "content-type": "application/json" }).end('{"requestid": "x", "status": ');
      return;
    }
    if (fault?.kind === "status") {
      return send(fault.status, { error: { reason: fault.reason ?? "SCRIPTED_FAILURE" } }, fault.retryAfter ? { "retry-after": fault.retryAfter } : {});
    }

    if (request.headers.authorization !== `Bearer ${parameters.token}`) return refuse(401, "UNAUTHORIZED", "Access token is missing or invalid");
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (request.method === "POST" && url.pathname === "/pins") {
      let body: { cid?: unknown; name?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch {
        return refuse(400, "BAD_REQUEST", "body is not JSON");
      }
      if (typeof body.cid !== "string" || body.cid === "") return refuse(400, "BAD_REQUEST", "cid is required");
      if (typeof body.name === "string" && body.name.length > 255) return refuse(400, "BAD_REQUEST", "name is longer than 255 characters");
      const requestid = `request-${pins.size + 1}`;
      pins.set(requestid, { cid: body.cid, name: typeof body.name === "string" ? body.name : "", step: 0, created: new Date().toISOString() });
      return send(202, statusOf(requestid));
    }
    if (request.method === "GET" && url.pathname === "/pins") {
      const cids = url.searchParams.get("cid")?.split(",");
      // The spec: without a status filter, only pinned requests are listed.
      const statuses = (url.searchParams.get("status") ?? "pinned").split(",");
      const results = [...pins.keys()]
        .map(statusOf)
        .filter((status) => (cids === undefined || cids.includes(status.pin.cid)) && statuses.includes(status.status));
      return send(200, { count: results.length, results });
    }
    const match = /^\/pins\/([^/]+)$/.exec(url.pathname);
    if (request.method === "GET" && match !== null) {
      const pin = pins.get(decodeURIComponent(match[1]!));
      if (pin === undefined) return refuse(404, "NOT_FOUND", "The specified resource was not found");
      pin.step++;
      return send(200, statusOf(decodeURIComponent(match[1]!)));
    }
    return refuse(404, "NOT_FOUND", "The specified resource was not found");
  });
  const { url, stop } = await listenOnLoopback(server);
  return {
    url,
    requests,
    failNext: (...next) => faults.push(...next),
    pinsOf: (cid) => [...pins.keys()].map(statusOf).filter((status) => status.pin.cid === cid).map(({ requestid, status, pin }) => ({ requestid, status, name: pin.name })),
    failPinsOf: (cid) => failingCids.add(cid),
    close: async () => {
      for (const response of hung) response.destroy();
      await stop();
    },
  };
}
