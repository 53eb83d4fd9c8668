import type { EventHandler } from "../types.js";

import { recordUndo } from "../store/recordUndo.js";
import { transferPolicyOfCode } from "vermilion-verify/shared/transferPolicy.js";

/** EditionCreated: a new numbered edition with its supply, CIDs, content commitment and policy. */
export const handleEditionCreated: EventHandler = async (context, log) => {
  const args = log.args as {
    editionId: bigint;
    maxSupply: bigint;
    metadataCid: string;
    mediaCid: string;
    contentSha256: string;
    royaltyReceiver: string;
    royaltyBps: bigint;
    transferPolicy: number;
    holdSeconds: bigint;
  };
  const key = { chain_id: context.chainId, collection: log.address, edition_id: args.editionId };
  await recordUndo(context, log, "indexer_editions", key);
  await context.tx.query(
    `INSERT INTO indexer_editions (chain_id, collection, edition_id, max_supply, metadata_cid, media_cid, content_sha256,
       royalty_receiver, royalty_bps, transfer_policy, hold_seconds, created_block_number, created_tx_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (chain_id, collection, edition_id) DO NOTHING`,
    [
      context.chainId,
      log.address,
      args.editionId,
      args.maxSupply,
      args.metadataCid,
      args.mediaCid,
      args.contentSha256.toLowerCase(),
      args.royaltyReceiver,
      args.royaltyBps,
      transferPolicyOfCode(args.transferPolicy) ?? `unknown(${args.transferPolicy})`,
      args.holdSeconds,
      log.blockNumber,
      log.txHash,
    ],
  );
};
