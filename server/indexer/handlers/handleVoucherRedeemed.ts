import type { EventHandler } from "../types.js";

/** VoucherRedeemed: records the voucher's nonce and signer on the mints it paid for (same transaction). */
export const handleVoucherRedeemed: EventHandler = async (context, log) => {
  const { nonce, signer, firstTokenId, quantity } = log.args as {
    nonce: bigint;
    signer: string;
    firstTokenId: bigint;
    quantity: bigint;
  };
  await context.tx.query(
    `UPDATE indexer_transfers SET mint_kind = 'voucher', voucher_nonce = $6, voucher_signer = $7
     WHERE chain_id = $1 AND tx_hash = $2 AND collection = $3 AND kind = 'mint' AND token_id BETWEEN $4 AND $5`,
    [context.chainId, log.txHash, log.address, firstTokenId, firstTokenId + quantity - 1n, nonce.toString(), signer],
  );
};
