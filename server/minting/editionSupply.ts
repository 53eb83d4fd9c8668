import type { Address } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { Queryable } from "../db/Database.js";

import { keccak256, toHex } from "viem";

import { readEditionFromChain } from "../editions/readEditionFromChain.js";
import { VermilionError } from "../errors/VermilionError.js";

export interface CheckEditionSupplyParameters {
  collection: Address;
  editionId: bigint;
  /** Tokens the caller is about to promise (a mint job's total, or a voucher's quantity). */
  requested: number;
}

/** A lock key per edition: promises of one edition's supply are serialized, other editions run freely. */
function editionLockKey(chainId: number, collection: Address, editionId: bigint): bigint {
  return BigInt.asIntN(64, BigInt(keccak256(toHex(`${chainId}:${collection}:${editionId}`)).slice(0, 18)));
}

/** Inside the caller's transaction: serializes every promise of this edition's supply until commit. */
export async function lockEditionSupply(tx: Queryable, chainId: number, collection: Address, editionId: bigint): Promise<void> {
  await tx.query("SELECT pg_advisory_xact_lock($1)", [editionLockKey(chainId, collection, editionId)]);
}

/**
 * Inside the caller's transaction, after `lockEditionSupply`: checks that `requested` tokens fit
 * in what is left after the chain's minted count, every accepted mint chunk not yet mined, and every
 * signed voucher neither redeemed (per the index) nor expired (per the chain's clock). Throws
 * EDITION_SEALED or EDITION_SOLD_OUT; on return the caller writes its promise before committing.
 */
export async function checkEditionSupply(
  tx: Queryable,
  chain: Pick<ChainClients, "publicClient" | "chainId">,
  parameters: CheckEditionSupplyParameters,
): Promise<void> {
  const chainId = BigInt(chain.chainId);
  const { collection, editionId, requested } = parameters;
  // Order matters: promises first, then the chain. A chunk mined or a voucher redeemed in between is
  // counted twice (refusing early), never zero times (overselling).
  const { rows: pendingRows } = await tx.query<{ pending: bigint | null }>(
    `SELECT sum(c.quantity)::int8 AS pending FROM mint_chunks c JOIN mint_jobs j USING (job_id)
     WHERE j.chain_id = $1 AND j.collection_address = $2 AND j.edition_id = $3 AND c.state IN ('pending', 'sent')`,
    [chainId, collection, editionId],
  );
  const latest = await chain.publicClient.getBlock({ blockTag: "latest" }).catch((cause: unknown) => {
    throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
  });
  const { rows: voucherRows } = await tx.query<{ outstanding: bigint | null }>(
    `SELECT sum(v.quantity)::int8 AS outstanding FROM issued_vouchers v
     WHERE v.chain_id = $1 AND v.collection_address = $2 AND v.edition_id = $3 AND v.deadline >= $4
       AND NOT EXISTS (SELECT 1 FROM indexer_transfers t
                       WHERE t.chain_id = v.chain_id AND t.collection = lower(v.collection_address) AND t.voucher_nonce = v.nonce)`,
    [chainId, collection, editionId, latest.timestamp],
  );
  const promised = (pendingRows[0]?.pending ?? 0n) + (voucherRows[0]?.outstanding ?? 0n);
  const edition = await readEditionFromChain(chain, collection, editionId);
  if (edition.isSealed && edition.mintedCount < edition.maxSupply) {
    throw new VermilionError("EDITION_SEALED", { editionId: editionId.toString() });
  }
  const remaining = edition.maxSupply - edition.mintedCount - promised;
  if (BigInt(requested) > remaining) {
    throw new VermilionError("EDITION_SOLD_OUT", {
      editionId: editionId.toString(),
      requested,
      remaining: (remaining > 0n ? remaining : 0n).toString(),
    });
  }
}
