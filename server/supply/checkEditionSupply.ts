import type { Address } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { Queryable } from "../db/Database.js";

import { readEditionFromChain } from "../chain/readEditionFromChain.js";
import { VermilionError } from "../errors/VermilionError.js";
import { hasUnredeemedVouchers, sumUnredeemedVouchers } from "../indexer/store/unredeemedVouchers.js";
import { countReservedClaimCodes } from "./countReservedClaimCodes.js";

export interface CheckEditionSupplyParameters {
  collection: Address;
  editionId: bigint;
  /** Tokens the caller is about to promise (a mint job's total, or a voucher's quantity). */
  requested: number;
}

/**
 * Inside the caller's transaction, after `lockEditionSupply`: checks that `requested` tokens fit
 * in what is left after the chain's minted count, every accepted mint chunk not yet mined, and every
 * signed voucher neither redeemed (per the index) nor expired (per the chain's clock), and every claim
 * code still open or claimed but not yet in a job (`countReservedClaimCodes`). Throws
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
  // counted twice (refusing early), never zero times (overselling); the nonce check below keeps the
  // chunk the sender is waiting on from being counted twice.
  const { rows: chunkRows } = await tx.query<{ quantity: number; sender: Address | null; nonce: bigint | null }>(
    `SELECT c.quantity, t.sender, t.nonce
     FROM mint_chunks c JOIN mint_jobs j USING (job_id)
     LEFT JOIN LATERAL (SELECT sender, nonce FROM chain_transactions a
                        WHERE a.job_id = c.job_id AND a.chunk_index = c.chunk_index AND a.state IN ('signed', 'broadcast')
                        ORDER BY a.created_at DESC LIMIT 1) t ON c.state = 'sent'
     WHERE j.chain_id = $1 AND j.collection_address = $2 AND j.edition_id = $3 AND c.state IN ('pending', 'sent')`,
    [chainId, collection, editionId],
  );
  // A sent chunk whose nonce the chain has already used is settled there: mined into the count read
  // below, or reverted and never to mint. The sender may not have recorded it yet (nodes can show the
  // new nonce before they serve the receipt), and counting it as pending too would refuse the last
  // tokens of an edition that are really free. In the rare case another holder of the key took that
  // nonce, the chunk goes out again later and the contract's own supply check has the last word.
  const confirmedNonces = new Map<string, bigint>();
  let pending = 0n;
  for (const chunk of chunkRows) {
    if (chunk.sender !== null && chunk.nonce !== null) {
      if (!confirmedNonces.has(chunk.sender)) {
        const count = await chain.publicClient.getTransactionCount({ address: chunk.sender, blockTag: "latest" }).catch((cause: unknown) => {
          throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
        });
        confirmedNonces.set(chunk.sender, BigInt(count));
      }
      if (chunk.nonce < confirmedNonces.get(chunk.sender)!) continue;
    }
    pending += BigInt(chunk.quantity);
  }
  // Vouchers are judged by the chain's clock, which costs a call; most editions have none unredeemed.
  let outstandingVouchers = 0n;
  if (await hasUnredeemedVouchers(tx, { chainId, collection, editionId })) {
    const latest = await chain.publicClient.getBlock({ blockTag: "latest" }).catch((cause: unknown) => {
      throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
    });
    outstandingVouchers = await sumUnredeemedVouchers(tx, { chainId, collection, editionId, validAt: latest.timestamp });
  }
  // The claim dispatcher moves a claimed code's token into a chunk under this edition's supply lock,
  // which the caller holds, so no code is dispatched between the chunk read above and this one.
  const reservedClaimCodes = await countReservedClaimCodes(tx, { chainId, collection, editionId });
  const promised = pending + outstandingVouchers + reservedClaimCodes;
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
