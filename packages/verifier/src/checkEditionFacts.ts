import type { EditionFacts, VerificationSession } from "./createVerificationSession.js";
import type { CheckTransferHistoryReturnType } from "./checkTransferHistory.js";
import type { CheckResult } from "./report.js";

import { vermilionCollectionAbi } from "./abis/VermilionCollection.js";
import { transferPolicyOfCode } from "./shared/transferPolicy.js";
import { logReference } from "./createVerificationSession.js";
import { readContract } from "./readContract.js";
import { failed, passed } from "./report.js";

const NAME = "edition.facts";

export interface CheckEditionFactsParameters {
  tokenId: bigint;
  editionId: bigint;
  serial: number;
  edition: EditionFacts;
  history: CheckTransferHistoryReturnType;
}

/**
 * The edition's facts at the pinned block, and the token's place in it:
 * 1. The edition exists and its EditionCreated event agrees with `edition()` (max supply, media).
 * 2. 1 ≤ serial ≤ mintedCount ≤ maxSupply, and the serial was minted exactly once.
 * 3. Sealed exactly when an EditionSealed event exists, and always once every serial is minted.
 * 4. `locked(tokenId)` is what the transfer policy implies: never under Free, always under Soulbound,
 *    under Hold until the holder's acquisition block time plus the hold.
 */
export async function checkEditionFacts(session: VerificationSession, parameters: CheckEditionFactsParameters): Promise<CheckResult> {
  const { tokenId, editionId, serial, edition, history } = parameters;
  const view = edition.view;
  if (!view) {
    return failed(NAME, "EDITION_NOT_ON_CHAIN", `Edition ${editionId} does not exist in ${session.contract} at the pinned block.`, { editionId: editionId.toString() });
  }
  const transferPolicy = transferPolicyOfCode(view.transferPolicy) ?? `unknown(${view.transferPolicy})`;
  const evidence: Record<string, unknown> = {
    editionId: editionId.toString(),
    serial,
    maxSupply: view.maxSupply.toString(),
    mintedCount: view.mintedCount.toString(),
    burnedCount: view.burnedCount.toString(),
    sealed: view.isSealed,
    sealedEvents: edition.sealedLogs.map(logReference),
    metadataFrozen: view.metadataFrozen,
    transferPolicy,
    holdSeconds: view.holdSeconds.toString(),
    mintCount: history.mintCount,
    ...(edition.created ? { editionCreated: logReference(edition.created) } : {}),
  };
  const fail = (code: string, detail: string) => failed(NAME, code, detail, evidence);

  if (!edition.created || edition.createdMaxSupply !== view.maxSupply) {
    return fail("EDITION_COMMITMENT_MISMATCH", `The EditionCreated event of edition ${editionId} is missing or disagrees with edition().`);
  }
  if (serial < 1 || BigInt(serial) > view.maxSupply) return fail("SERIAL_OUT_OF_RANGE", `Serial ${serial} is outside 1..${view.maxSupply}.`);
  if (BigInt(serial) > view.mintedCount) return fail("SERIAL_NOT_MINTED", `Serial ${serial} is above the ${view.mintedCount} minted so far.`);
  if (view.mintedCount > view.maxSupply) return fail("SUPPLY_EXCEEDED", `${view.mintedCount} minted is above the max supply ${view.maxSupply}.`);
  if (history.mintCount !== 1) return fail("SERIAL_NOT_UNIQUE", `Serial ${serial} was minted ${history.mintCount} times.`);
  const sealedByEvent = edition.sealedLogs.length > 0;
  if (view.isSealed !== sealedByEvent || (view.mintedCount === view.maxSupply && !view.isSealed) || edition.sealedLogs.length > 1) {
    return fail("EDITION_SEAL_INCONSISTENT", `Edition ${editionId} reports sealed=${view.isSealed} with ${edition.sealedLogs.length} EditionSealed events and ${view.mintedCount}/${view.maxSupply} minted.`);
  }

  if (!history.burned) {
    const locked = await readContract(session.deps.chain, { address: session.contract, abi: vermilionCollectionAbi, functionName: "locked", args: [tokenId] });
    const now = BigInt(session.deps.chain.pinnedBlock.timestamp);
    // Policies only loosen, so the current policy alone decides (the contract's _unlocksAt).
    const expectedLocked =
      transferPolicy === "soulbound" ? true : transferPolicy === "hold" ? (history.acquiredAt ?? 0n) + view.holdSeconds > now : false;
    evidence.locked = locked.ok ? locked.value : null;
    evidence.expectedLocked = expectedLocked;
    if (!locked.ok || locked.value !== expectedLocked) {
      return fail("LOCK_STATE_MISMATCH", `locked(${tokenId}) is ${locked.ok ? locked.value : "a revert"}, but the ${transferPolicy} policy implies ${expectedLocked}.`);
    }
  }
  return passed(
    NAME,
    `Serial ${serial} of ${view.maxSupply} (${view.mintedCount} minted${view.isSealed ? ", sealed" : ""}), minted once, ${transferPolicy} policy${
      history.burned ? "" : `, ${evidence.locked ? "locked" : "unlocked"}`
    }.`,
    evidence,
  );
}
