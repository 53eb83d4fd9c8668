import type { Address, Hex } from "viem";
import type { ChainClients } from "../chain/createChainClients.js";
import type { FindCollectionSignerDeps } from "../issuers/accounts/findCollectionSigner.js";

import { setTimeout as sleep } from "node:timers/promises";

import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { VermilionError } from "../errors/VermilionError.js";
import { findCollectionSigner } from "../issuers/accounts/findCollectionSigner.js";

export interface FindSentEditionParameters {
  collection: Address;
  /** The id predicted when it was sent: the edition, if created, has this id or a later one. */
  fromEditionId: bigint;
  /** The metadata CID the createEdition transaction carried. */
  metadataCid: string;
  contentSha256: Hex;
  /** The chain's head just before it was sent: the EditionCreated log is at or after it. */
  fromBlock: bigint;
  /** How long to wait for the signer's pending transactions to be mined (default 120 s). */
  pendingTimeoutMs?: number;
}

/**
 * The edition a createEdition transaction sent by an earlier, interrupted attempt created, or undefined
 * if the chain has none. The edition was sent by the collection's issuing key (its operating key; the
 * platform's for a collection not yet handed over), so that key's nonces are watched. Under the key's
 * write lock no new transaction of it is signed, so its pending ones (the dead attempt's, and mint
 * chunks whose receipts the mint sender awaits outside the lock) only drain: they are waited for (mined or dropped) before the chain is searched, so the search cannot miss
 * an edition about to appear. CHAIN_UNAVAILABLE (retryable) if some stay pending past the timeout.
 */
export async function findSentEdition(
  deps: FindCollectionSignerDeps & { chain: ChainClients },
  parameters: FindSentEditionParameters,
): Promise<{ editionId: bigint; txHash: Hex } | undefined> {
  const { chain } = deps;
  const signer = await findCollectionSigner(deps, { collection: parameters.collection, role: "issuing" });
  const address = signer.account.address;
  const deadline = Date.now() + (parameters.pendingTimeoutMs ?? 120_000);
  return signer.writeLock(async () => {
    for (;;) {
      const [pending, latest] = await Promise.all([
        chain.publicClient.getTransactionCount({ address, blockTag: "pending" }),
        chain.publicClient.getTransactionCount({ address, blockTag: "latest" }),
      ]);
      if (pending <= latest) break;
      if (Date.now() > deadline) {
        throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: new Error(`signer ${address} still has ${pending - latest} pending transactions`) });
      }
      await sleep(1_000);
    }
    const editionCount = await chain.publicClient.readContract({
      address: parameters.collection,
      abi: vermilionCollectionAbi,
      functionName: "editionCount",
    });
    for (let editionId = parameters.fromEditionId; editionId <= editionCount; editionId += 1n) {
      const edition = await chain.publicClient.readContract({
        address: parameters.collection,
        abi: vermilionCollectionAbi,
        functionName: "edition",
        args: [editionId],
      });
      if (edition.metadataCid !== parameters.metadataCid || edition.contentSha256 !== parameters.contentSha256) continue;
      const [created] = await chain.publicClient.getContractEvents({
        address: parameters.collection,
        abi: vermilionCollectionAbi,
        eventName: "EditionCreated",
        args: { editionId },
        fromBlock: parameters.fromBlock,
      });
      if (!created?.transactionHash) {
        throw new VermilionError("INTERNAL", {}, { cause: new Error(`edition ${editionId} has no EditionCreated log since ${parameters.fromBlock}`) });
      }
      return { editionId, txHash: created.transactionHash };
    }
    return undefined;
  });
}
