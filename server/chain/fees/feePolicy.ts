import type { Queryable } from "../../db/Database.js";
import type { FeePolicy } from "../../config/feePolicySettings.js";

/** The fee fields a transaction is signed with, in viem's spelling (spread them into a request). */
export type TransactionFees =
  | { type: "eip1559"; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }
  | { type: "legacy"; gasPrice: bigint };

/** The transaction type the platform signs: what `chain_transactions.tx_type` stores. */
export type TransactionType = TransactionFees["type"];

/** The most a transaction may pay per unit of gas: its max fee, or its gas price. */
export function maxFeePerGasOf(fees: TransactionFees): bigint {
  return fees.type === "eip1559" ? fees.maxFeePerGas : fees.gasPrice;
}

/** How a deployment pays on its chain: the policy, and where the hourly budget is kept (none without a budget or a database). */
export interface ChainFees {
  policy: FeePolicy;
  budget: { db: Queryable; chainId: number } | undefined;
}
