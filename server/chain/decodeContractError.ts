import { BaseError, ContractFunctionRevertedError, keccak256, toHex } from "viem";

import { VermilionError } from "../errors/VermilionError.js";

/** A revert the contract explained with a custom error, by name and arguments. */
export interface ContractRevert {
  errorName: string;
  args: readonly unknown[];
}

/** The custom error inside a viem error chain, if the contract reverted with one. */
export function findContractRevert(error: unknown): ContractRevert | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((cause) => cause instanceof ContractFunctionRevertedError);
  if (!(reverted instanceof ContractFunctionRevertedError) || !reverted.data) return undefined;
  return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] };
}

/** The collection's issuing role, as AccessControl names it in its errors. */
export const ISSUER_ROLE = keccak256(toHex("ISSUER_ROLE"));

/**
 * Maps a contract's revert to the platform's error codes (EditionSupplyExceeded → EDITION_SOLD_OUT, …);
 * anything that is not a revert is a chain fault, retryable.
 */
export function toChainError(error: unknown, context: { collection: string; editionId?: bigint }): VermilionError {
  const revert = findContractRevert(error);
  if (!revert) return new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: error });
  const editionId = context.editionId?.toString();
  switch (revert.errorName) {
    case "EditionSupplyExceeded":
      return new VermilionError(
        "EDITION_SOLD_OUT",
        { editionId, requested: String(revert.args[1]), remaining: String(revert.args[2]) },
        { cause: error },
      );
    case "EditionAlreadySealed":
      return new VermilionError("EDITION_SEALED", { editionId }, { cause: error });
    case "EditionNotFound":
      return new VermilionError("EDITION_NOT_FOUND", { editionId, collection: context.collection }, { cause: error });
    case "MetadataIsFrozen":
      return new VermilionError("METADATA_FROZEN", { editionId }, { cause: error });
    // The collection's admin took the issuing role from the key (an operating key revoked by its issuer).
    case "AccessControlUnauthorizedAccount":
      if (revert.args[1] === ISSUER_ROLE) {
        return new VermilionError("ISSUER_KEY_REVOKED", { operatingKey: String(revert.args[0]).toLowerCase(), collection: context.collection }, { cause: error });
      }
      return new VermilionError("CONTRACT_REVERTED", { reason: revert.errorName }, { cause: error });
    case "ExpectedPause":
      return new VermilionError("COLLECTION_NOT_PAUSED", { collection: context.collection }, { cause: error });
    case "EnforcedPause":
      return new VermilionError("COLLECTION_PAUSED", { collection: context.collection }, { cause: error });
    // The issuer cancelled the voucher's nonce (cancelVouchers): final, whoever signed or submits it.
    case "VoucherNonceCancelled":
      return new VermilionError("VOUCHER_CANCELLED", { nonce: String(revert.args[0]), collection: context.collection }, { cause: error });
    case "VoucherAlreadyRedeemed":
      return new VermilionError("VOUCHER_ALREADY_REDEEMED", { nonce: String(revert.args[0]) }, { cause: error });
    case "VoucherExpired":
      return new VermilionError("VOUCHER_EXPIRED", { deadline: String(revert.args[0]) }, { cause: error });
    case "VoucherSignerNotIssuer":
      return new VermilionError("VOUCHER_SIGNER_NOT_ISSUER", { signer: String(revert.args[0]).toLowerCase() }, { cause: error });
    default:
      return new VermilionError("CONTRACT_REVERTED", { reason: revert.errorName }, { cause: error });
  }
}
