import type { HandlerContext, IndexedLog } from "../types.js";

import { recordUndo } from "../store/recordUndo.js";

/** Journals and updates one edition row of the log's collection: `set` is SQL using `$4…`. */
export async function updateEdition(
  context: HandlerContext,
  log: IndexedLog,
  editionId: bigint,
  set: string,
  values: readonly unknown[],
): Promise<void> {
  await recordUndo(context, log, "indexer_editions", { chain_id: context.chainId, collection: log.address, edition_id: editionId });
  await context.tx.query(
    `UPDATE indexer_editions SET ${set} WHERE chain_id = $1 AND collection = $2 AND edition_id = $3`,
    [context.chainId, log.address, editionId, ...values],
  );
}
