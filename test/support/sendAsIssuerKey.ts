import type { Address, LocalAccount, TransactionReceipt } from "viem";
import type { ChainClients } from "../../server/chain/createChainClients.js";

import { keccak256, parseEther, parseEventLogs, toBytes, toHex } from "viem";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { testEditionParams } from "./platformFixture.js";
import { rpc } from "./rpc.js";

/** `VermilionCollection.ISSUER_ROLE`. */
export const ISSUER_ROLE = keccak256(toBytes("ISSUER_ROLE"));

/**
 * Sends a collection call from one of an issuer's keys (its admin key granting or revoking a role, its
 * operating key creating an edition) as a test's setup. The key is given gas for the call only (Anvil's
 * `anvil_setBalance`) and emptied again after it, so the platform's sender still starts from an issuer
 * key holding nothing and must have it funded.
 */
export async function sendAsIssuerKey(
  chain: ChainClients,
  account: LocalAccount,
  call: { collection: Address; functionName: string; args: readonly unknown[] },
): Promise<TransactionReceipt> {
  await rpc(chain.rpcUrl, "anvil_setBalance", [account.address, toHex(parseEther("1"))]);
  try {
    const hash = await chain.walletFor(account).writeContract({
      address: call.collection,
      abi: vermilionCollectionAbi,
      functionName: call.functionName as "mint",
      args: call.args as never,
    });
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${call.functionName} from ${account.address} reverted`);
    return receipt;
  } finally {
    await rpc(chain.rpcUrl, "anvil_setBalance", [account.address, "0x0"]);
  }
}

/** Creates an edition of `maxSupply` with the collection's operating key; returns its id. */
export async function createEditionAsIssuer(chain: ChainClients, operating: LocalAccount, collection: Address, maxSupply: number): Promise<bigint> {
  const receipt = await sendAsIssuerKey(chain, operating, {
    collection,
    functionName: "createEdition",
    args: [testEditionParams(maxSupply, operating.address)],
  });
  const [created] = parseEventLogs({ abi: vermilionCollectionAbi, eventName: "EditionCreated", logs: receipt.logs });
  if (!created) throw new Error("no EditionCreated event");
  return created.args.editionId;
}
