import type { Address, ContractFunctionArgs, ContractFunctionName, Hex, TransactionReceipt } from "viem";
import type { ChainClients } from "./createChainClients.js";
import type { WriteLock } from "../cluster/createWriteLock.js";

import { vermilionCollectionAbi } from "./abis/VermilionCollection.js";
import { toChainError } from "./decodeContractError.js";

type CollectionWriteName = ContractFunctionName<typeof vermilionCollectionAbi, "nonpayable">;

export interface SendCollectionTransactionParameters<Name extends CollectionWriteName> {
  collection: Address;
  functionName: Name;
  args: ContractFunctionArgs<typeof vermilionCollectionAbi, "nonpayable", Name>;
  /** For error messages: the edition the call is about. */
  editionId?: bigint;
}

/**
 * Sends one issuer transaction to a collection with the platform's signer and waits for it: simulated
 * first, so a refusal comes back as the contract's reason (METADATA_FROZEN, EDITION_SEALED, …) and
 * nothing is sent; serialized with every other write of the signer.
 */
export async function sendCollectionTransaction<Name extends CollectionWriteName>(
  deps: { chain: ChainClients; writeLock: WriteLock },
  parameters: SendCollectionTransactionParameters<Name>,
): Promise<{ txHash: Hex; receipt: TransactionReceipt }> {
  const { chain, writeLock } = deps;
  const context = { collection: parameters.collection, ...(parameters.editionId !== undefined ? { editionId: parameters.editionId } : {}) };
  try {
    return await writeLock(async () => {
      const { request } = await chain.publicClient.simulateContract({
        account: chain.walletClient.account,
        address: parameters.collection,
        abi: vermilionCollectionAbi,
        functionName: parameters.functionName,
        args: parameters.args,
      } as never);
      const txHash = await chain.walletClient.writeContract(request as never);
      const receipt = await chain.publicClient.waitForTransactionReceipt({ hash: txHash });
      if (receipt.status !== "success") throw new Error(`transaction ${txHash} reverted`);
      return { txHash, receipt };
    });
  } catch (error) {
    throw toChainError(error, context);
  }
}
