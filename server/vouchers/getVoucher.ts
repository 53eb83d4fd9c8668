import type { Address } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { Queryable } from "../db/Database.js";
import type { VoucherEditionView, VoucherState, VoucherView } from "../views/voucherView.js";

import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { VermilionError } from "../errors/VermilionError.js";
import { findIssuedVoucher } from "./findIssuedVoucher.js";

export interface GetVoucherDeps {
  db: Queryable;
  chain: Pick<ChainClients, "publicClient" | "chainId">;
}

export interface GetVoucherParameters {
  collection: Address;
  nonce: bigint;
}

export type GetVoucherReturnType = VoucherView;

function chainRead<Result>(read: Promise<Result>): Promise<Result> {
  return read.catch((cause: unknown) => {
    throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause });
  });
}

/**
 * A voucher the platform signed, with its state judged as the contract would judge a redemption now:
 * 1. redeemed: the chain has spent its nonce, or the index has seen its mint (token ids come from the index);
 * 2. cancelled: the chain has cancelled its nonce (from the API or the issuer's own wallet), or our record says so;
 * 3. void: its signer lost the issuing role in a hand-over;
 * 4. expired: the latest block is past its deadline (the supply check's rule too);
 * 5. open, with the serials it would mint now (the edition's next ones).
 */
export async function getVoucher(deps: GetVoucherDeps, parameters: GetVoucherParameters): Promise<GetVoucherReturnType> {
  const { db, chain } = deps;
  const { collection, nonce } = parameters;
  const chainId = BigInt(chain.chainId);
  const row = await findIssuedVoucher(db, { chainId: chain.chainId, collection, nonce });
  const [redeemedOnChain, cancelledOnChain, latest, onChainEdition] = await Promise.all([
    chainRead(chain.publicClient.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "isVoucherRedeemed", args: [nonce] })),
    chainRead(chain.publicClient.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "isVoucherCancelled", args: [nonce] })),
    chainRead(chain.publicClient.getBlock({ blockTag: "latest" })),
    chainRead(chain.publicClient.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "edition", args: [row.edition_id] })),
  ]);
  const { rows: minted } = await db.query<{ token_id: bigint; tx_hash: string }>(
    `SELECT token_id, tx_hash FROM indexer_transfers
     WHERE chain_id = $1 AND collection = $2 AND kind = 'mint' AND voucher_nonce = $3 ORDER BY token_id`,
    [chainId, collection, nonce.toString()],
  );
  const { rows: editions } = await db.query<{
    name: string;
    description: string;
    media_cid: string;
    media_type: string;
    thumbnail_cid: string | null;
    poster_cid: string | null;
  }>(
    "SELECT name, description, media_cid, media_type, thumbnail_cid, poster_cid FROM editions WHERE chain_id = $1 AND collection_address = $2 AND edition_id = $3",
    [chainId, collection, row.edition_id],
  );
  const editionRow = editions[0];
  const edition: VoucherEditionView | null = editionRow
    ? {
        name: editionRow.name,
        description: editionRow.description,
        mediaCid: editionRow.media_cid,
        mediaType: editionRow.media_type,
        thumbnailCid: editionRow.thumbnail_cid,
        posterCid: editionRow.poster_cid,
        maxSupply: Number(onChainEdition.maxSupply),
        mintedCount: Number(onChainEdition.mintedCount),
      }
    : null;

  let state: VoucherState;
  if (redeemedOnChain || minted.length > 0) state = "redeemed";
  else if (cancelledOnChain || row.cancelled_at !== null) state = "cancelled";
  else if (row.voided_at !== null) state = "void";
  else if (row.deadline < latest.timestamp) state = "expired";
  else state = "open";

  const first = Number(onChainEdition.mintedCount) + 1;
  return {
    chainId: chain.chainId,
    collection,
    nonce: nonce.toString(),
    state,
    editionId: row.edition_id.toString(),
    recipient: row.recipient,
    quantity: row.quantity.toString(),
    deadline: row.deadline.toString(),
    issuedAt: row.issued_at.toISOString(),
    edition,
    serials: state === "open" ? { first, last: first + Number(row.quantity) - 1 } : null,
    tokenIds: minted.length > 0 ? minted.map((mint) => mint.token_id.toString()) : null,
    redeemedTxHash: minted[0]?.tx_hash ?? null,
    cancelledAt: row.cancelled_at?.toISOString() ?? null,
    cancelTxHash: row.cancel_tx_hash,
  };
}
