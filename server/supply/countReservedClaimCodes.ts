import type { Address } from "viem";
import type { Queryable } from "../db/Database.js";

export interface CountReservedClaimCodesParameters {
  chainId: bigint;
  collection: Address;
  editionId: bigint;
}

/**
 * Claim codes that hold a token of the edition: open ones of a batch neither expired nor cancelled, and
 * claimed ones the dispatcher has not yet put in a mint job (once it has, the job's chunk holds the
 * token instead, moved in the same transaction). One statement, so a code moving from open to claimed
 * is counted once either way. The expiry is the database's clock: codes never reach the chain.
 */
export async function countReservedClaimCodes(tx: Queryable, parameters: CountReservedClaimCodesParameters): Promise<bigint> {
  const { rows } = await tx.query<{ reserved: string }>(
    `SELECT count(*)::text AS reserved
     FROM claim_codes c JOIN claim_batches b USING (batch_id)
     WHERE b.chain_id = $1 AND b.collection_address = $2 AND b.edition_id = $3
       AND ((c.state = 'open' AND b.cancelled_at IS NULL AND b.expires_at > now()) OR (c.state = 'claimed' AND c.job_id IS NULL))`,
    [parameters.chainId, parameters.collection, parameters.editionId],
  );
  return BigInt(rows[0]?.reserved ?? "0");
}
