import type { Address, ContractFunctionArgs, ContractFunctionName, Hex, TransactionReceipt } from "viem";
import type { GasFunder } from "../../gas/createGasFunder.js";
import type { CollectionSigner, FindCollectionSignerDeps } from "./findCollectionSigner.js";

import { vermilionCollectionAbi } from "../../chain/abis/VermilionCollection.js";
import { toChainError } from "../../chain/decodeContractError.js";
import { maxFeePerGasOf } from "../../chain/fees/feePolicy.js";
import { payFees } from "../../chain/fees/payFees.js";
import { waitForReceipt } from "../../chain/waitForReceipt.js";
import { VermilionError } from "../../errors/VermilionError.js";
import { findCollectionSigner } from "./findCollectionSigner.js";

type CollectionWriteName = ContractFunctionName<typeof vermilionCollectionAbi, "nonpayable">;

/**
 * Which of a collection's keys sends each write: the admin key for what the contract gives only its
 * admin (pause, roles, contract URI), the operating key (issuing role) for everything else.
 */
const adminFunctions: ReadonlySet<CollectionWriteName> = new Set<CollectionWriteName>([
  "pause",
  "unpause",
  "grantRole",
  "revokeRole",
  "renounceRole",
]);

/** The role whose key sends `functionName` on a collection. */
export function signerRoleOf(functionName: CollectionWriteName): "issuing" | "admin" {
  return adminFunctions.has(functionName) ? "admin" : "issuing";
}

export interface SendCollectionTransactionDeps extends FindCollectionSignerDeps {
  /** Tops up an issuer key before it sends (the platform pays issuers' gas). */
  gasFunder: GasFunder;
}

export interface SendCollectionTransactionParameters<Name extends CollectionWriteName> {
  collection: Address;
  functionName: Name;
  args: ContractFunctionArgs<typeof vermilionCollectionAbi, "nonpayable", Name>;
  /** For error messages: the edition the call is about. */
  editionId?: bigint;
}

export interface SendCollectionTransactionReturnType {
  txHash: Hex;
  receipt: TransactionReceipt;
  /** The key that sent it. */
  sender: Address;
}

/**
 * Sends one transaction to a collection with the key that holds the role it needs there
 * (`findCollectionSigner`) and waits for it, under that key's write lock. Simulated first, so a refusal
 * comes back as the contract's reason (METADATA_FROZEN, ISSUER_KEY_REVOKED, …) and nothing is sent; an
 * issuer key is then topped up by the platform for the estimated gas at the current max fee, if short.
 * Throws ADMIN_IN_ISSUER_WALLET for an admin call on a collection whose admin is the issuer's own wallet.
 */
export async function sendCollectionTransaction<Name extends CollectionWriteName>(
  deps: SendCollectionTransactionDeps,
  parameters: SendCollectionTransactionParameters<Name>,
): Promise<SendCollectionTransactionReturnType> {
  const signer = await findCollectionSigner(deps, {
    collection: parameters.collection,
    role: signerRoleOf(parameters.functionName),
    action: `${parameters.functionName}()`,
  });
  return sendCollectionTransactionAs(deps, signer, parameters);
}

/**
 * `sendCollectionTransaction` with a signer the caller already holds (the hand-over sends with the
 * platform's key, which pays its own gas: `gasFunder` is needed only for an issuer key).
 */
export async function sendCollectionTransactionAs<Name extends CollectionWriteName>(
  deps: Pick<SendCollectionTransactionDeps, "chain"> & { gasFunder?: GasFunder },
  signer: CollectionSigner,
  parameters: SendCollectionTransactionParameters<Name>,
): Promise<SendCollectionTransactionReturnType> {
  const { chain, gasFunder } = deps;
  const context = { collection: parameters.collection, ...(parameters.editionId !== undefined ? { editionId: parameters.editionId } : {}) };
  const call = {
    account: signer.account,
    address: parameters.collection,
    abi: vermilionCollectionAbi,
    functionName: parameters.functionName,
    args: parameters.args,
  } as never;
  try {
    return await signer.writeLock(async () => {
      const { request } = await chain.publicClient.simulateContract(call);
      const gas = await chain.publicClient.estimateContractGas(call);
      // Type and fees by the deployment's policy (FEE_CAP_BELOW_MARKET, GAS_BUDGET_HOUR_SPENT are passed on).
      const fees = await payFees({ chain }, { gas });
      if (!signer.isPlatformKey) {
        if (!gasFunder) throw new Error(`no gas funder for issuer key ${signer.account.address}`);
        await gasFunder.ensureFunded({ issuerId: signer.issuerId, address: signer.account.address, neededWei: gas * maxFeePerGasOf(fees) });
      }
      const txHash = await signer.wallet.writeContract({
        ...(request as object),
        account: signer.account,
        ...fees,
      } as never);
      // A transaction the node drops fails the request with CHAIN_TRANSACTION_DROPPED (nothing happened; send it again).
      const receipt = await waitForReceipt(chain, { hash: txHash });
      if (receipt.status !== "success") throw new Error(`transaction ${txHash} reverted`);
      return { txHash, receipt, sender: signer.account.address };
    });
  } catch (error) {
    // Already one of the platform's codes (the gas funder's ISSUER_GAS_BUDGET_EXCEEDED, …): passed on as is.
    throw error instanceof VermilionError ? error : toChainError(error, context);
  }
}
