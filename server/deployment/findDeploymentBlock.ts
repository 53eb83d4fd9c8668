import type { Address, PublicClient } from "viem";

export interface FindDeploymentBlockParameters {
  address: Address;
  /** Search no higher than this block (default: the current head). */
  toBlock?: bigint;
}

export interface FindDeploymentBlockReturnType {
  blockNumber: bigint;
  /** False when the node keeps no old state (not an archive node), so the search could not narrow it down. */
  exact: boolean;
}

/**
 * The block a contract was deployed in: the first block at which it has code, by binary search over
 * `eth_getCode` (about log2(head) calls). Indexing an adopted factory from there instead of block 0
 * saves scanning the chain's whole history. A node without historical state answers the lower probes
 * with an error; the search then returns block 0, inexact.
 */
export async function findDeploymentBlock(
  publicClient: Pick<PublicClient, "getCode" | "getBlockNumber">,
  parameters: FindDeploymentBlockParameters,
): Promise<FindDeploymentBlockReturnType> {
  const hasCodeAt = async (blockNumber: bigint) => {
    const code = await publicClient.getCode({ address: parameters.address, blockNumber });
    return code !== undefined && code !== "0x";
  };
  let high = parameters.toBlock ?? (await publicClient.getBlockNumber());
  if (!(await hasCodeAt(high))) throw new Error(`no contract at ${parameters.address} at block ${high}`);
  let low = 0n;
  try {
    // Invariant: code exists at `high`; the deployment block is in [low, high].
    while (low < high) {
      const middle = (low + high) / 2n;
      if (await hasCodeAt(middle)) high = middle;
      else low = middle + 1n;
    }
  } catch {
    return { blockNumber: 0n, exact: false };
  }
  return { blockNumber: high, exact: true };
}
