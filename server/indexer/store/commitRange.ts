import type { Database } from "../../db/Database.js";
import type { HandlerContext, IndexedBlock, IndexedLog, MintOrigin } from "../types.js";

import { eventHandlers } from "../handlers/eventHandlers.js";
import { handleTransfers } from "../handlers/handleTransfers.js";
import { isRowDerivedTransfer } from "../sync/decodeLog.js";
import { lockCheckpoint } from "./lockCheckpoint.js";

export interface CommitRangeParameters {
  chainId: bigint;
  factoryAddress: string;
  logs: readonly IndexedLog[];
  blocks: readonly IndexedBlock[];
  endBlock: IndexedBlock;
  mintOrigins: ReadonlyMap<string, MintOrigin>;
  /** Highest block treated as final once this range commits; changes above it are journaled. */
  finalizedBlock: bigint;
  /**
   * Highest block final by the chain's CONFIRMATIONS at the range's end (`finalBlockAt`): what the API
   * calls final. Never below `finalizedBlock`, since the reorg window is at least CONFIRMATIONS deep.
   */
  finalBlock: bigint;
  reorgWindow: bigint;
  /** The checkpoint the range continues from; the commit fails with CHECKPOINT_CONFLICT if it moved. */
  previousCheckpoint: { blockNumber: bigint; blockHash: string } | null;
}

export interface CommitRangeReturnType {
  /** Logs the range added: event rows and transfer rows. */
  insertedEvents: number;
}

function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => (typeof item === "bigint" ? item.toString() : item));
}

/**
 * Writes one fetched range in one transaction: each new event row (idempotent on chain id, tx hash and
 * log index) and its handler's changes, the block hashes, and the checkpoint at the range's end; then
 * prunes block hashes and undo entries that fell below the finalized block.
 */
export async function commitRange(db: Database, parameters: CommitRangeParameters): Promise<CommitRangeReturnType> {
  const { chainId, factoryAddress, endBlock, finalizedBlock, logs } = parameters;
  return db.transaction(async (tx) => {
    await lockCheckpoint(tx, { chainId, factoryAddress, expected: parameters.previousCheckpoint });
    // One statement stores every event of the range but the Transfers that their transfer rows give back
    // exactly (half of a backfill's writes otherwise; `indexer_logs` shows them raw again). Arrays travel
    // as text, cast in SQL, so both drivers send them alike. Only events actually inserted here get their
    // handler run, in log order; handleTransfers makes the same check on its own rows.
    const rawLogs = logs.filter((log) => !isRowDerivedTransfer(log));
    const { rows: inserted } = await tx.query<{ tx_hash: string; log_index: number }>(
      `INSERT INTO indexer_events (chain_id, tx_hash, log_index, tx_index, block_number, block_hash, block_timestamp,
         address, event_name, args, topics, data)
       SELECT $1::int8, e.tx_hash, e.log_index::int4, e.tx_index::int4, e.block_number::int8, e.block_hash,
         e.block_timestamp::int8, e.address, e.event_name, e.args::jsonb, e.topics::text[], e.data
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
         $10::text[], $11::text[], $12::text[])
         AS e(tx_hash, log_index, tx_index, block_number, block_hash, block_timestamp, address, event_name, args, topics, data)
       ON CONFLICT (chain_id, tx_hash, log_index) DO NOTHING RETURNING tx_hash, log_index`,
      [
        chainId,
        rawLogs.map((log) => log.txHash),
        rawLogs.map((log) => String(log.logIndex)),
        rawLogs.map((log) => String(log.txIndex)),
        rawLogs.map((log) => log.blockNumber.toString()),
        rawLogs.map((log) => log.blockHash),
        rawLogs.map((log) => log.blockTimestamp.toString()),
        rawLogs.map((log) => log.address),
        rawLogs.map((log) => log.eventName),
        rawLogs.map((log) => toJson(log.args)),
        // A text[] literal: topics are lowercase hex, nothing to quote.
        rawLogs.map((log) => `{${log.topics.join(",")}}`),
        rawLogs.map((log) => log.data),
      ],
    );
    const isNew = new Set(inserted.map((row) => `${row.tx_hash}:${row.log_index}`));
    let insertedEvents = inserted.length;
    const journaled = new Set<string>();
    const contextFor = (log: IndexedLog): HandlerContext => ({
      tx,
      chainId,
      factoryAddress,
      journal: log.blockNumber > finalizedBlock,
      journaled,
      mintOrigins: parameters.mintOrigins,
    });
    // Consecutive Transfers are applied as one run (one statement per table); a run stops at any other
    // handled event, and inside the reorg window at each block, so journaled images stay per block.
    let run: IndexedLog[] = [];
    const flushRun = async () => {
      if (run.length > 0) insertedEvents += (await handleTransfers(contextFor(run[0]!), run)).insertedTransfers;
      run = [];
    };
    for (const log of logs) {
      const stored = isNew.has(`${log.txHash}:${log.logIndex}`);
      if (log.eventName === "Transfer") {
        // Not kept raw, or kept raw just now: handleTransfers stores its row unless it is already there.
        if (!stored && !isRowDerivedTransfer(log)) continue;
        const first = run[0];
        const journal = log.blockNumber > finalizedBlock;
        if (first && ((first.blockNumber > finalizedBlock) !== journal || (journal && first.blockNumber !== log.blockNumber))) await flushRun();
        run.push(log);
        continue;
      }
      // Already stored: its handler ran in the transaction that stored it.
      const handler = stored && log.eventName ? eventHandlers[log.eventName] : undefined;
      if (!handler) continue;
      await flushRun();
      await handler(contextFor(log), log);
    }
    await flushRun();
    const { blocks } = parameters;
    await tx.query(
      `INSERT INTO indexer_blocks (chain_id, block_number, block_hash, parent_hash, block_timestamp)
       SELECT $1::int8, b.block_number::int8, b.block_hash, b.parent_hash, b.block_timestamp::int8
       FROM unnest($2::text[], $3::text[], $4::text[], $5::text[]) AS b(block_number, block_hash, parent_hash, block_timestamp)
       ON CONFLICT (chain_id, block_number) DO UPDATE SET block_hash = EXCLUDED.block_hash,
         parent_hash = EXCLUDED.parent_hash, block_timestamp = EXCLUDED.block_timestamp`,
      [
        chainId,
        blocks.map((block) => block.number.toString()),
        blocks.map((block) => block.hash),
        blocks.map((block) => block.parentHash),
        blocks.map((block) => block.timestamp.toString()),
      ],
    );
    await tx.query(
      `INSERT INTO indexer_checkpoints (chain_id, factory_address, block_number, block_hash, block_timestamp,
         finalized_block, reorg_window, final_block)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (chain_id, factory_address) DO UPDATE SET block_number = EXCLUDED.block_number,
         block_hash = EXCLUDED.block_hash, block_timestamp = EXCLUDED.block_timestamp,
         finalized_block = EXCLUDED.finalized_block, reorg_window = EXCLUDED.reorg_window, final_block = EXCLUDED.final_block,
         halted_code = NULL, halted_details = NULL, updated_at = now()`,
      [chainId, factoryAddress, endBlock.number, endBlock.hash, endBlock.timestamp, finalizedBlock, parameters.reorgWindow, parameters.finalBlock],
    );
    // Keep every block above the finalized one, and the newest at or below it as the walk-back anchor.
    await tx.query(
      `DELETE FROM indexer_blocks WHERE chain_id = $1 AND block_number <
         (SELECT max(block_number) FROM indexer_blocks WHERE chain_id = $1 AND block_number <= $2)`,
      [chainId, finalizedBlock],
    );
    await tx.query("DELETE FROM indexer_undo WHERE chain_id = $1 AND block_number <= $2", [chainId, finalizedBlock]);
    return { insertedEvents };
  });
}
