import type { Address, Hex } from "viem";
import type { MintVoucher } from "../chain/mintVoucherTypedData.js";
import type { SendCollectionTransactionDeps } from "../issuers/accounts/sendCollectionTransaction.js";
import type { RelayedVoucherView } from "../views/voucherView.js";

import { parseEventLogs } from "viem";

import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { toChainError } from "../chain/decodeContractError.js";
import { VermilionError } from "../errors/VermilionError.js";
import { findCollectionSigner } from "../issuers/accounts/findCollectionSigner.js";
import { sendCollectionTransaction } from "../issuers/accounts/sendCollectionTransaction.js";

export type RelayVoucherDeps = SendCollectionTransactionDeps;

export interface RelayVoucherParameters {
  collection: Address;
  voucher: MintVoucher;
  signature: Hex;
}

export type RelayVoucherReturnType = RelayedVoucherView;

/**
 * Redeems a voucher for its recipient, the platform paying the gas: anyone may ask, since the voucher
 * mints only to the address it names. First a simulation from the collection's operating key, outside
 * its write lock, refuses at once with the contract's reason (VOUCHER_EXPIRED, VOUCHER_ALREADY_REDEEMED,
 * VOUCHER_CANCELLED, VOUCHER_SIGNER_NOT_ISSUER, COLLECTION_PAUSED, EDITION_SOLD_OUT …), so a hopeless
 * voucher neither waits for the key nor costs gas; then `redeem` is sent like every issuer write
 * (simulated again under the lock, topped up from the issuer's gas budget). A repeat is harmless: the
 * nonce is spent once, and the second attempt is refused in its simulation with VOUCHER_ALREADY_REDEEMED.
 */
export async function relayVoucher(deps: RelayVoucherDeps, parameters: RelayVoucherParameters): Promise<RelayVoucherReturnType> {
  const { chain } = deps;
  const { collection, voucher, signature } = parameters;
  const context = { collection, editionId: voucher.editionId };
  const signer = await findCollectionSigner(deps, { collection, role: "issuing" });
  try {
    await chain.publicClient.simulateContract({
      account: signer.account,
      address: collection,
      abi: vermilionCollectionAbi,
      functionName: "redeem",
      args: [voucher, signature],
    });
  } catch (error) {
    throw toChainError(error, context);
  }
  const { txHash, receipt } = await sendCollectionTransaction(deps, { collection, functionName: "redeem", args: [voucher, signature], editionId: voucher.editionId });
  const [redeemed] = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "VoucherRedeemed", logs: receipt.logs });
  if (!redeemed) throw new VermilionError("INTERNAL", {}, { cause: new Error(`redeem ${txHash} emitted no VoucherRedeemed`) });
  const tokenIds = Array.from({ length: Number(redeemed.args.quantity) }, (_, index) => (redeemed.args.firstTokenId + BigInt(index)).toString());
  return { chainId: chain.chainId, collection, nonce: voucher.nonce.toString(), recipient: voucher.to.toLowerCase(), txHash, tokenIds };
}
