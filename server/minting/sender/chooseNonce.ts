import type { SenderDeps } from "./senderDeps.js";

import { retrying } from "./retrying.js";

/**
 * The nonce for a new chunk transaction: the node's pending count, or one past the highest nonce this
 * sender stored if that is higher (signed but not yet seen by the node). Dropped attempts do not count:
 * their nonce went to another signer. Call under the write lock, and sign before releasing it.
 */
export async function chooseNonce(deps: Pick<SenderDeps, "db" | "chain" | "sender" | "chainId" | "logger" | "state">): Promise<bigint> {
  // The node's count and the stored one are read at once: both are needed, neither depends on the other.
  const [pendingCount, { rows }] = await Promise.all([
    retrying(deps, "getTransactionCount", () => deps.chain.publicClient.getTransactionCount({ address: deps.sender, blockTag: "pending" })),
    deps.db.query<{ next: bigint | null }>(
      "SELECT (max(nonce) + 1)::int8 AS next FROM chain_transactions WHERE chain_id = $1 AND sender = $2 AND state <> 'dropped'",
      [deps.chainId, deps.sender],
    ),
  ]);
  const pendingNonce = BigInt(pendingCount);
  return rows[0]?.next && rows[0].next > pendingNonce ? rows[0].next : pendingNonce;
}
