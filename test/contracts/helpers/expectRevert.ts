import type { Abi, Hex } from "viem";
import { BaseError, decodeErrorResult, isHex } from "viem";
import { expect } from "vitest";

/** A revert as the contract raised it: the error's name and arguments when the ABI knows it, and its raw data. */
export interface DecodedRevert {
  errorName: string | undefined;
  args: readonly unknown[];
  raw: Hex | undefined;
}

function causesOf(error: unknown): Error[] {
  const chain: Error[] = [];
  for (let current = error; current instanceof Error; current = current.cause) chain.push(current);
  return chain;
}

/**
 * The revert data somewhere in viem's cause chain. EDR usually reports it as `data` on the RPC error, but
 * for a revert it cannot attribute to a source line it sends `{ data: { data } }` instead.
 */
function findRevertData(chain: readonly Error[]): Hex | undefined {
  for (const error of chain) {
    const { data, raw } = error as { data?: unknown; raw?: unknown };
    if (isHex(raw)) return raw;
    if (isHex(data)) return data;
    const nested = typeof data === "object" && data !== null ? (data as { data?: unknown }).data : undefined;
    if (isHex(nested)) return nested;
  }
  return undefined;
}

/** The ABI viem attached to a contract call error, used to decode what viem itself could not. */
function findAbi(chain: readonly Error[]): Abi | undefined {
  for (const error of chain) {
    const { abi } = error as { abi?: unknown };
    if (Array.isArray(abi)) return abi as Abi;
  }
  return undefined;
}

function decodeRevert(raw: Hex | undefined, abi: Abi | undefined): DecodedRevert {
  if (raw === undefined || raw === "0x" || abi === undefined) return { errorName: undefined, args: [], raw };
  try {
    const decoded = decodeErrorResult({ abi, data: raw });
    return { errorName: decoded.errorName, args: decoded.args ?? [], raw };
  } catch {
    return { errorName: undefined, args: [], raw };
  }
}

/**
 * Awaits `action`, which must revert, and decodes the revert with viem's decoded error if it has one,
 * otherwise with `abi` or the ABI of the contract call that failed.
 */
export async function captureRevert(action: Promise<unknown>, abi?: Abi): Promise<DecodedRevert> {
  try {
    await action;
  } catch (error) {
    if (!(error instanceof BaseError)) throw error;
    const chain = causesOf(error);
    // Matched by name rather than instanceof, so a second copy of viem in node_modules cannot fool it.
    const reverted = chain.find((cause) => cause.name === "ContractFunctionRevertedError") as
      | { data?: { errorName: string; args?: readonly unknown[] }; raw?: Hex }
      | undefined;
    if (abi === undefined && reverted?.data !== undefined) {
      return { errorName: reverted.data.errorName, args: reverted.data.args ?? [], raw: reverted.raw };
    }
    const raw = findRevertData(chain);
    if (raw === undefined && reverted === undefined) {
      throw new Error(`expected a contract revert, got: ${error.shortMessage}`, { cause: error });
    }
    return decodeRevert(raw, abi ?? findAbi(chain));
  }
  throw new Error("expected a contract revert, but the call succeeded");
}

/**
 * Asserts that `action` reverts with the custom error `errorName` carrying exactly `args` (`Error` and
 * `Panic` work too, for reason strings and panics). Pass `abi` when the error is not in the called
 * contract's ABI, or when there is no contract call to take it from (a deployment).
 */
export async function expectRevertWith(
  action: Promise<unknown>,
  errorName: string,
  args: readonly unknown[] = [],
  abi?: Abi,
): Promise<void> {
  const { errorName: actualName, args: actualArgs } = await captureRevert(action, abi);
  expect({ errorName: actualName, args: [...actualArgs] }).toEqual({ errorName, args: [...args] });
}
