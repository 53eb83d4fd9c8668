import type { ChunkRow } from "./pickNextChunk.js";
import type { SenderDeps } from "./senderDeps.js";

import { findContractRevert } from "../../chain/decodeContractError.js";
import { VermilionError } from "../../errors/VermilionError.js";

/**
 * What a chunk the contract refused waits on, or undefined when the refusal is final (the job fails):
 * 1. the collection is paused (COLLECTION_PAUSED): until the admin unpauses it;
 * 2. the sending key does not hold the issuing role (AccessControlUnauthorizedAccount, ISSUER_KEY_REVOKED):
 *    until the admin grants it back. Accepted work is never dropped because of a revocation.
 */
export function waitingReasonOf(
  deps: Pick<SenderDeps, "sender">,
  parameters: { chunk: ChunkRow; error: unknown; chainError: VermilionError },
): VermilionError | undefined {
  const { chunk, error, chainError } = parameters;
  if (chainError.code === "COLLECTION_PAUSED" || chainError.code === "ISSUER_KEY_REVOKED") return chainError;
  if (findContractRevert(error)?.errorName === "AccessControlUnauthorizedAccount") {
    return new VermilionError("ISSUER_KEY_REVOKED", { operatingKey: deps.sender, collection: chunk.collection_address }, { cause: error });
  }
  return undefined;
}
