import type { Address } from "viem";
import type { ProvenHeader } from "./headers/blockHeader.js";
import type { ProvenHeaderContext } from "./provenState.js";

/** The block context calls at the pinned block run in, read from its proven header. */
export function stateContextOf(header: ProvenHeader, chainId: number): ProvenHeaderContext {
  return {
    stateRoot: header.stateRoot,
    number: header.number,
    timestamp: header.timestamp,
    ...(header.baseFeePerGas !== null ? { baseFeePerGas: header.baseFeePerGas } : {}),
    coinbase: header.miner as Address,
    gasLimit: header.gasLimit,
    prevRandao: header.mixHash,
    ...(header.excessBlobGas !== null ? { excessBlobGas: header.excessBlobGas } : {}),
    chainId,
  };
}
