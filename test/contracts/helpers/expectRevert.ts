import type { ContractFunctionRevertedError } from "viem";
import { BaseError } from "viem";
import { expect } from "vitest";

function isRevertError(error: unknown): error is ContractFunctionRevertedError {
  // Matched by name rather than instanceof, so a second copy of viem in node_modules cannot fool it.
  return error instanceof Error && error.name === "ContractFunctionRevertedError";
}

/** Awaits `action`, which must revert, and returns viem's decoded revert error. */
export async function captureRevert(action: Promise<unknown>): Promise<ContractFunctionRevertedError> {
  try {
    await action;
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk(isRevertError) : undefined;
    if (isRevertError(reverted)) return reverted;
    throw new Error(`expected a contract revert, got: ${String(error)}`, { cause: error });
  }
  throw new Error("expected a contract revert, but the call succeeded");
}

/**
 * Asserts that `action` reverts with the custom error `errorName` carrying exactly `args`
 * (`Error` and `Panic` work too, for reason strings and panics).
 */
export async function expectRevertWith(
  action: Promise<unknown>,
  errorName: string,
  args: readonly unknown[] = [],
): Promise<void> {
  const reverted = await captureRevert(action);
  expect({ errorName: reverted.data?.errorName, args: reverted.data?.args ?? [] }).toEqual({
    errorName,
    args: [...args],
  });
}
