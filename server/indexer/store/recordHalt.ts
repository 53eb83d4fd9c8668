import type { Queryable } from "../../db/Database.js";
import type { VermilionError } from "../../errors/VermilionError.js";

export interface RecordHaltParameters {
  chainId: bigint;
  factoryAddress: string;
  /** The final error that halted the indexer. */
  error: VermilionError;
}

/**
 * Notes on the checkpoint why indexing halted (its code and details), for operators and the other
 * instances; the next committed range clears it. Best effort: a failure to write it is ignored.
 */
export async function recordHalt(db: Queryable, parameters: RecordHaltParameters): Promise<void> {
  const { chainId, factoryAddress, error } = parameters;
  await db
    .query(
      "UPDATE indexer_checkpoints SET halted_code = $3, halted_details = $4::jsonb WHERE chain_id = $1 AND factory_address = $2",
      [chainId, factoryAddress, error.code, JSON.stringify(error.details)],
    )
    .catch(() => {});
}
