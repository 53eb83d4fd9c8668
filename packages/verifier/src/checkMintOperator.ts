import type { Address, Hex } from "viem";
import type { TransferEvent } from "./checkTransferHistory.js";
import type { VerificationSession } from "./createVerificationSession.js";
import type { CheckResult } from "./report.js";

import { decodeEventLog, getAddress, toEventSelector, zeroAddress } from "viem";

import { vermilionCollectionAbi } from "./abis/VermilionCollection.js";
import { failed, passed, skipped } from "./report.js";
import { ISSUER_ROLE } from "./roleHistory.js";

const NAME = "mint.operator";
const VOUCHER_REDEEMED_TOPIC = toEventSelector("VoucherRedeemed(uint256,address,address,uint256,uint256,uint256)");

export interface CheckMintOperatorParameters {
  tokenId: bigint;
  /** The token's successful transfers, oldest first (`history.transfers`). */
  events: TransferEvent[];
}

/**
 * Did the key that minted the token hold ISSUER_ROLE at that mint, per the collection's role logs?
 * 1. A voucher redemption: the operator is the voucher's signer (the VoucherRedeemed log of the same
 *    transaction covering the token).
 * 2. Any other mint (mint, airdrop): the operator is the transaction's sender. A sender without the role
 *    that minted through a contract holding it fails: the key that minted is not one the admin authorized.
 * The role is evaluated just before the mint's Transfer log, so a revocation earlier in the same block counts.
 */
export async function checkMintOperator(session: VerificationSession, parameters: CheckMintOperatorParameters): Promise<CheckResult> {
  const { chain } = session.deps;
  const mint = parameters.events.find((event) => event.from === zeroAddress);
  if (!mint) return skipped(NAME, "Skipped: the token's history has no mint.");
  const transactionHash = mint.transactionHash as Hex;

  let operator: Address | null = null;
  let kind: "voucher" | "sender" = "sender";
  let via: Address | null = null;
  const receipt = await chain.getReceipt(transactionHash);
  for (const log of receipt?.logs ?? []) {
    if (log.address.toLowerCase() !== session.contract.toLowerCase() || log.topics[0] !== VOUCHER_REDEEMED_TOPIC) continue;
    const { args } = decodeEventLog({ abi: vermilionCollectionAbi, eventName: "VoucherRedeemed", topics: log.topics as [Hex, ...Hex[]], data: log.data });
    if (parameters.tokenId >= args.firstTokenId && parameters.tokenId < args.firstTokenId + args.quantity) {
      operator = getAddress(args.signer);
      kind = "voucher";
    }
  }
  if (operator === null) {
    const transaction = await chain.getTransaction(transactionHash);
    if (transaction) {
      operator = getAddress(transaction.from);
      if (transaction.to !== null && transaction.to.toLowerCase() !== session.contract.toLowerCase()) via = getAddress(transaction.to);
    }
  }
  const roles = await session.roles();
  const position = { blockNumber: BigInt(mint.blockNumber), logIndex: mint.logIndex };
  const evidence = {
    transactionHash,
    blockNumber: mint.blockNumber,
    logIndex: mint.logIndex,
    operator,
    operatorKind: kind,
    via,
    issuingKeysAtMint: roles.holders(ISSUER_ROLE, position),
  };
  if (operator === null) {
    return failed(NAME, "MINT_OPERATOR_UNKNOWN", `The chain does not know the transaction ${transactionHash} that minted token ${parameters.tokenId}.`, evidence);
  }
  const who = kind === "voucher" ? `the voucher signer ${operator}` : `the sender ${operator}`;
  if (!roles.held(ISSUER_ROLE, operator, position)) {
    return failed(
      NAME,
      "MINT_OPERATOR_NOT_ISSUER",
      `Token ${parameters.tokenId} was minted in ${transactionHash} (block ${mint.blockNumber}) by ${who}${via ? ` through the contract ${via}` : ""}, ` +
        `which did not hold ISSUER_ROLE on ${session.contract} at that point: the minting key is not one the collection's admin authorized.`,
      evidence,
    );
  }
  return passed(NAME, `Token ${parameters.tokenId} was minted by ${who}, which held ISSUER_ROLE at block ${mint.blockNumber}.`, evidence);
}
