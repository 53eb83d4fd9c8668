import type { PublicClient } from "viem";

import { isRangeRefusal } from "./isRangeRefusal.js";

/** The one client method the indexer calls. */
export type RpcClient = Pick<PublicClient, "request">;

export interface WithRpcRetryParameters {
  /** Further attempts after the first. */
  retries: number;
  /** Delay before the first retry; doubles each time. */
  retryDelayMs: number;
  /** Told of every failed call that is about to be retried. */
  onRetry?: (error: unknown) => void;
}

/**
 * Wraps a client so each JSON-RPC call is retried on its own (500, 429, timeouts, garbled answers),
 * rather than failing the whole range it belongs to. A range refusal is passed straight through: a
 * smaller range, not the same one again, answers it.
 */
export function withRpcRetry(client: RpcClient, parameters: WithRpcRetryParameters): RpcClient {
  const request = (async (args: Parameters<PublicClient["request"]>[0]) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await client.request(args);
      } catch (error) {
        if (attempt >= parameters.retries || isRangeRefusal(error)) throw error;
        parameters.onRetry?.(error);
        await new Promise((resolve) => setTimeout(resolve, parameters.retryDelayMs * 2 ** attempt));
      }
    }
  }) as PublicClient["request"];
  return { request };
}
