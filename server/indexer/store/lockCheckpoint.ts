import type { Queryable } from "../../db/Database.js";

import { VermilionError } from "../../errors/VermilionError.js";

export interface LockCheckpointParameters {
  chainId: bigint;
  factoryAddress: string;
  /** The checkpoint this writer read before its work (null: none yet). */
  expected: { blockNumber: bigint; blockHash: string } | null;
}

/**
 * Serializes writers of one index (several service instances may run the indexer) on a transaction
 * advisory lock, then checks that the checkpoint is still the one the caller started from; if another
 * writer moved it, throws the retryable CHECKPOINT_CONFLICT so the caller re-reads and continues.
 */
export async function lockCheckpoint(tx: Queryable, parameters: LockCheckpointParameters): Promise<void> {
  const { chainId, factoryAddress, expected } = parameters;
  await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`vermilion-indexer:${chainId}:${factoryAddress}`]);
  const { rows } = await tx.query<{ block_number: bigint; block_hash: string }>(
    "SELECT block_number, block_hash FROM indexer_checkpoints WHERE chain_id = $1 AND factory_address = $2",
    [chainId, factoryAddress],
  );
  const current = rows[0] ?? null;
  const same = current === null ? expected === null : current.block_number === expected?.blockNumber && current.block_hash === expected.blockHash;
  if (!same) {
    throw new VermilionError("CHECKPOINT_CONFLICT", {
      expectedBlock: expected?.blockNumber.toString() ?? "none",
      actualBlock: current?.block_number.toString() ?? "none",
    });
  }
}
