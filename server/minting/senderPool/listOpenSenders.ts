import type { Address } from "viem";
import type { Queryable } from "../../db/Database.js";

/** The keys with mint jobs still to send on a chain (queued or sending): each needs its sender running somewhere. */
export async function listOpenSenders(db: Queryable, parameters: { chainId: number }): Promise<Address[]> {
  const { rows } = await db.query<{ sender: Address }>(
    "SELECT DISTINCT sender FROM mint_jobs WHERE chain_id = $1 AND state IN ('queued', 'sending') AND sender IS NOT NULL",
    [BigInt(parameters.chainId)],
  );
  return rows.map((row) => row.sender);
}
