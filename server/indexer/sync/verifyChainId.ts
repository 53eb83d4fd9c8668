import type { RpcClient } from "./withRpcRetry.js";

import { VermilionError } from "../../errors/VermilionError.js";

export interface VerifyChainIdParameters {
  /** The chain the index belongs to; undefined: whichever chain the node serves. */
  expectedChainId: bigint | undefined;
}

/** The chain id the node serves; CHAIN_ID_MISMATCH (final) when it is not the chain the index belongs to. */
export async function verifyChainId(deps: { publicClient: RpcClient }, parameters: VerifyChainIdParameters): Promise<bigint> {
  const served = BigInt(await deps.publicClient.request({ method: "eth_chainId" }));
  const { expectedChainId } = parameters;
  if (expectedChainId !== undefined && served !== expectedChainId) {
    throw new VermilionError("CHAIN_ID_MISMATCH", {
      expectedChainId: expectedChainId.toString(),
      actualChainId: served.toString(),
    });
  }
  return served;
}
