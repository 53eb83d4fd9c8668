import type { EventHandler } from "../types.js";

import { recordUndo } from "../store/recordUndo.js";

/** Paused / Unpaused: whether the collection's mints, transfers and burns are stopped. */
export const handlePauseChanged: EventHandler = async (context, log) => {
  await recordUndo(context, log, "indexer_collections", { chain_id: context.chainId, address: log.address });
  await context.tx.query("UPDATE indexer_collections SET paused = $3 WHERE chain_id = $1 AND address = $2", [
    context.chainId,
    log.address,
    log.eventName === "Paused",
  ]);
};
