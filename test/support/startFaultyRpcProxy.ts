
import http from "node:http";

import { listenOnLoopback } from "./listen.js";

export type RpcFault = "http500" | "http429" | "garbled" | "slow";

export interface StartFaultyRpcProxyParameters {
  targetUrl: string;
  /** The fault to inject into the `index`-th request (0-based), or null to pass it through. */
  faultFor: (index: number, method: string) => RpcFault | null;
  /** Delay of a `slow` answer. */
  slowMs?: number;
  /** Widest eth_getLogs range passed through; wider ones are refused like a hosted node does (-32005). */
  maxLogRangeBlocks?: number;
  /** Rewrites a passed-through answer's JSON (e.g. to forge a log's block hash); return it unchanged to keep it. */
  tamper?: (method: string, answer: { result?: unknown }) => { result?: unknown };
}

export interface FaultyRpcProxy {
  url: string;
  /** How many times each fault was injected, and ranges refused. */
  counts: Record<RpcFault | "rangeRefused" | "down", number>;
  /** While true, every request gets a 503 (the node is unreachable). */
  down: boolean;
  stop(): Promise<void>;
}

/** A JSON-RPC proxy on loopback that answers some requests with 500, 429, garbled JSON or late. */
export async function startFaultyRpcProxy(parameters: StartFaultyRpcProxyParameters): Promise<FaultyRpcProxy> {
  const counts = { http500: 0, http429: 0, garbled: 0, slow: 0, rangeRefused: 0, down: 0 };
  let requestIndex = 0;
  // eslint-disable-next-line prefer-const -- assigned once the server listens; the handler reads it later
  let proxy: FaultyRpcProxy;
  const server = http.createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    if (proxy.down) {
      counts.down++;
      response.writeHead(503, { "content-type": "text/plain" }).end("Service Unavailable");
      return;
    }
    const call = JSON.parse(body) as { id: number; method: string; params?: Array<{ fromBlock?: string; toBlock?: string }> };
    const filter = call.params?.[0];
    if (
      call.method === "eth_getLogs" &&
      parameters.maxLogRangeBlocks !== undefined &&
      filter?.fromBlock &&
      filter.toBlock &&
      BigInt(filter.toBlock) - BigInt(filter.fromBlock) + 1n > BigInt(parameters.maxLogRangeBlocks)
    ) {
      counts.rangeRefused++;
      response.writeHead(200, { "content-type": "application/json" });
      response.end(
        JSON.stringify({
          jsonrpc: "2.0",
          id: call.id,
          error: { code: -32005, message: `query exceeds max block range ${parameters.maxLogRangeBlocks}` },
        }),
      );
      return;
    }
    const fault = parameters.faultFor(requestIndex++, call.method);
    if (fault) counts[fault]++;
    if (fault === "http500") {
      response.writeHead(500, { "content-type": "text/plain" }).end("Internal Server Error");
      return;
    }
    if (fault === "http429") {
      response.writeHead(429, { "content-type": "application/json", "retry-after": "0" }).end('{"error":"too many requests"}');
      return;
    }
    if (fault === "garbled") {
      response.writeHead(200, { "content-type": "application/json" }).end(`{"jsonrpc":"2.0","id":${call.id},"resu`);
      return;
    }
    if (fault === "slow") await new Promise((resolve) => setTimeout(resolve, parameters.slowMs ?? 1_000));
    try {
      const upstream = await fetch(parameters.targetUrl, { method: "POST", headers: { "content-type": "application/json" }, body });
      let text = await upstream.text();
      if (parameters.tamper && upstream.ok) text = JSON.stringify(parameters.tamper(call.method, JSON.parse(text) as { result?: unknown }));
      response.writeHead(upstream.status, { "content-type": "application/json" }).end(text);
    } catch {
      if (!response.headersSent) response.writeHead(502).end();
    }
  });
  const { url, stop } = await listenOnLoopback(server);
  proxy = { url, counts, down: false, stop };
  return proxy;
}
