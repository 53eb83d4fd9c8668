import type { Abi, Address, ContractFunctionName, ContractFunctionArgs, ContractFunctionReturnType } from "viem";
import type { ChainReader } from "./chainReader.js";

import { decodeFunctionResult, encodeFunctionData } from "viem";

/** A view call's decoded result, or `reverted` with the revert data (a burned token's `ownerOf`). */
export type ReadContractResult<T> = { ok: true; value: T } | { ok: false; revertData: string };

/** `eth_call` of a view function through a chain reader, ABI-encoded and decoded with viem. */
export async function readContract<
  const TAbi extends Abi,
  TName extends ContractFunctionName<TAbi, "view" | "pure">,
  TArgs extends ContractFunctionArgs<TAbi, "view" | "pure", TName>,
>(
  chain: ChainReader,
  parameters: { address: Address; abi: TAbi; functionName: TName; args?: TArgs },
): Promise<ReadContractResult<ContractFunctionReturnType<TAbi, "view" | "pure", TName, TArgs>>> {
  const data = encodeFunctionData({ abi: parameters.abi, functionName: parameters.functionName, args: parameters.args } as never);
  const result = await chain.call(parameters.address, data);
  if (!result.ok) return { ok: false, revertData: result.data };
  try {
    const value = decodeFunctionResult({ abi: parameters.abi, functionName: parameters.functionName, data: result.data } as never);
    return { ok: true, value: value as ContractFunctionReturnType<TAbi, "view" | "pure", TName, TArgs> };
  } catch {
    // Code that is not ours can answer with anything; undecodable data is a failed read, not a crash.
    return { ok: false, revertData: result.data };
  }
}
