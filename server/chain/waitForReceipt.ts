import type { Hex, PublicClient, TransactionReceipt } from "viem";

import { setTimeout as sleep } from "node:timers/promises";

import { TransactionReceiptNotFoundError } from "viem";

import { VermilionError } from "../errors/VermilionError.js";

export interface WaitForReceiptParameters {
  hash: Hex;
  /**
   * The transaction's signed bytes, when the caller kept them: a transaction the node dropped is sent
   * again (the same bytes, so never a second transaction). Without them a drop fails the wait.
   */
  rawTransaction?: Hex;
  /** How often the node is asked whether it still knows the transaction (default 3 s). */
  mempoolCheckMs?: number;
  /** Gives up with CHAIN_UNAVAILABLE after this long (default 180 s, viem's own default). */
  timeoutMs?: number;
  /** Told when a dropped transaction is re-broadcast (a log line, a metric). */
  onRebroadcast?: () => void;
}

export type WaitForReceiptErrorType = VermilionError & { code: "CHAIN_TRANSACTION_DROPPED" | "CHAIN_UNAVAILABLE" };

/**
 * Waits for a transaction's receipt (mined or reverted) where viem's `waitForTransactionReceipt` would
 * wait out its whole timeout on a transaction the node dropped from its mempool (a restart, an
 * eviction). Every `mempoolCheckMs` it asks the node for the transaction (`eth_getTransactionByHash`):
 * 1. known (pending or mined): keep waiting;
 * 2. unknown, with `rawTransaction`: sent again, and keep waiting;
 * 3. unknown twice in a row without it: CHAIN_TRANSACTION_DROPPED (retryable: nothing happened on chain).
 */
export async function waitForReceipt(
  deps: { publicClient: Pick<PublicClient, "getTransactionReceipt" | "request" | "sendRawTransaction" | "pollingInterval"> },
  parameters: WaitForReceiptParameters,
): Promise<TransactionReceipt> {
  const { publicClient } = deps;
  const { hash, rawTransaction } = parameters;
  const mempoolCheckMs = parameters.mempoolCheckMs ?? 3_000;
  const deadline = Date.now() + (parameters.timeoutMs ?? 180_000);
  const pollMs = Math.min(publicClient.pollingInterval, mempoolCheckMs);
  let lastCheckAt = Date.now();
  let unknownChecks = 0;
  for (;;) {
    const receipt = await publicClient.getTransactionReceipt({ hash }).catch((error: unknown) => {
      if (error instanceof TransactionReceiptNotFoundError) return undefined;
      throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: error });
    });
    if (receipt) return receipt;
    if (Date.now() > deadline) throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: new Error(`no receipt for ${hash} in time`) });
    if (Date.now() - lastCheckAt >= mempoolCheckMs) {
      lastCheckAt = Date.now();
      const known = await publicClient.request({ method: "eth_getTransactionByHash", params: [hash] }).catch((error: unknown) => {
        throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: error });
      });
      unknownChecks = known ? 0 : unknownChecks + 1;
      if (!known && rawTransaction) {
        parameters.onRebroadcast?.();
        await publicClient.sendRawTransaction({ serializedTransaction: rawTransaction }).catch((error: unknown) => {
          // Already back in the mempool, or its nonce was used meanwhile (the receipt read settles which).
          if (error instanceof Error && /already known|already imported|nonce too low/i.test(error.message)) return;
          throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: error });
        });
      } else if (unknownChecks >= 2) {
        throw new VermilionError("CHAIN_TRANSACTION_DROPPED", { txHash: hash });
      }
    }
    await sleep(pollMs);
  }
}
