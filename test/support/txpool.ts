import type { Address, Hex } from "viem";

import { createPublicClient, http } from "viem";

interface TxpoolContent {
  pending: Record<string, Record<string, { hash: Hex; nonce: Hex }>>;
  queued: Record<string, Record<string, { hash: Hex; nonce: Hex }>>;
}

/** Anvil's test RPC methods the mempool and reorg tests drive, on one node. */
export function createTestChain(rpcUrl: string) {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const request = <Result>(method: string, params: unknown[] = []) =>
    client.request({ method: method as never, params: params as never }) as Promise<Result>;
  const pendingOf = async (sender: Address): Promise<{ hash: Hex; nonce: bigint }[]> => {
    const content = await request<TxpoolContent>("txpool_content");
    const bySender = Object.entries(content.pending).find(([address]) => address.toLowerCase() === sender.toLowerCase())?.[1] ?? {};
    return Object.values(bySender).map((tx) => ({ hash: tx.hash, nonce: BigInt(tx.nonce) }));
  };
  return {
    client,
    request,
    mine: () => request("evm_mine"),
    setAutomine: (on: boolean) => request("evm_setAutomine", [on]),
    dropTransaction: (hash: Hex) => request("anvil_dropTransaction", [hash]),
    getTransactionByHash: (hash: Hex) => request<unknown>("eth_getTransactionByHash", [hash]),
    /** The transactions of `sender` in the node's mempool. */
    pendingOf,
    /**
     * With automine off: waits until `sender` has a transaction in the mempool and returns it. It mines
     * nothing (a block mined while the transaction arrives would take it out of sight), so anything the
     * sender needs first, such as a gas top-up of its key, must be done before automine goes off.
     */
    async waitForPendingOf(sender: Address, timeoutMs = 30_000): Promise<{ hash: Hex; nonce: bigint }> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [pending] = await pendingOf(sender);
        if (pending) return pending;
        if (Date.now() > deadline) throw new Error(`no transaction of ${sender} reached the mempool in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}
