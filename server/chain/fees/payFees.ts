import type { Abi, Account, Chain, Hex, PublicClient, Transport } from "viem";
import type { ChainFees, TransactionFees } from "./feePolicy.js";

import { encodeDeployData } from "viem";

import { chargeGasBudget } from "./chargeGasBudget.js";
import { maxFeePerGasOf } from "./feePolicy.js";
import { quoteFees } from "./quoteFees.js";

export interface PayFeesDeps {
  chain: { publicClient: PublicClient<Transport, Chain>; fees: ChainFees };
}

export interface PayFeesParameters {
  /** The transaction's gas limit. */
  gas: bigint;
}

/** The fee fields and gas limit to spread into a viem write (`writeContract`, `deployContract`, `prepareTransactionRequest`). */
export type PayFeesReturnType = TransactionFees & { gas: bigint };

/**
 * The fees every transaction of the platform's is signed with (server/chain/fees/): quoted within the
 * caps (FEE_CAP_BELOW_MARKET when the chain asks more) and counted against the hourly budget
 * (GAS_BUDGET_HOUR_SPENT when it is spent). Call it right before signing.
 */
export async function payFees(deps: PayFeesDeps, parameters: PayFeesParameters): Promise<PayFeesReturnType> {
  const { chain } = deps;
  const fees = await quoteFees(chain, chain.fees.policy);
  await chargeGasBudget(chain.fees, { amountWei: parameters.gas * maxFeePerGasOf(fees) });
  return { ...fees, gas: parameters.gas };
}

/** `payFees` for a contract call, its gas estimated through the ABI (so a revert is thrown decodable, before anything is charged). */
export async function payFeesForContractCall(
  deps: PayFeesDeps,
  call: { account: Account; address: Hex; abi: Abi | readonly unknown[]; functionName: string; args?: readonly unknown[] },
): Promise<PayFeesReturnType> {
  const gas = await deps.chain.publicClient.estimateContractGas(call as never);
  return payFees(deps, { gas });
}

/** `payFees` for a contract deployment. */
export async function payFeesForDeployment(
  deps: PayFeesDeps,
  deployment: { account: Account; abi: Abi | readonly unknown[]; bytecode: Hex; args?: readonly unknown[] },
): Promise<PayFeesReturnType> {
  const data = encodeDeployData({ abi: deployment.abi as Abi, bytecode: deployment.bytecode, args: deployment.args ?? [] } as never);
  const gas = await deps.chain.publicClient.estimateGas({ account: deployment.account, data });
  return payFees(deps, { gas });
}
