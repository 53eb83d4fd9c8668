import type { Address } from "viem";
import type { ChainClients } from "./createChainClients.js";

import { vermilionCollectionAbi } from "./abis/VermilionCollection.js";
import { findContractRevert } from "./decodeContractError.js";
import { VermilionError } from "../errors/VermilionError.js";

export interface OnChainEdition {
  editionId: bigint;
  maxSupply: bigint;
  mintedCount: bigint;
  isSealed: boolean;
}

/** Reads an edition's supply state from its collection contract; EDITION_NOT_FOUND if it has none. */
export async function readEditionFromChain(
  chain: Pick<ChainClients, "publicClient">,
  collection: Address,
  editionId: bigint,
): Promise<OnChainEdition> {
  try {
    const edition = await chain.publicClient.readContract({
      address: collection,
      abi: vermilionCollectionAbi,
      functionName: "edition",
      args: [editionId],
    });
    return {
      editionId,
      maxSupply: edition.maxSupply,
      mintedCount: edition.mintedCount,
      isSealed: edition.isSealed,
    };
  } catch (error) {
    if (findContractRevert(error)?.errorName === "EditionNotFound") {
      throw new VermilionError("EDITION_NOT_FOUND", { editionId: editionId.toString(), collection }, { cause: error });
    }
    throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: error });
  }
}
