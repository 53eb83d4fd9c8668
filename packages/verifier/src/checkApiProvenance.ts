import type { ApiTokenRecord } from "./createVerificationSession.js";
import type { CheckTransferHistoryReturnType } from "./checkTransferHistory.js";
import type { EditionFacts } from "./createVerificationSession.js";
import type { CheckResult } from "./report.js";

import { transferPolicyOfCode } from "./shared/transferPolicy.js";
import { failed, passed } from "./report.js";

const NAME = "api.provenance";

export interface CheckApiProvenanceParameters {
  /** What the platform's API says; null when it does not know the token. */
  api: ApiTokenRecord | null;
  pinnedBlockNumber: bigint;
  editionId: bigint;
  serial: number;
  edition: EditionFacts;
  history: CheckTransferHistoryReturnType;
}

/**
 * The platform's record (its index, through the API's provenance and token views) against the chain as
 * rebuilt here: every history entry up to the pinned block field for field (block hash, log index,
 * transaction, from, to), the owner, and the edition facts the API shows.
 */
export function checkApiProvenance(parameters: CheckApiProvenanceParameters): CheckResult {
  const { api, history, edition } = parameters;
  if (!api) return failed(NAME, "API_TOKEN_MISSING", "The platform's API does not know this token, but the chain does.", {});
  const chainEvents = history.events.map((event) => ({
    blockNumber: event.blockNumber,
    blockHash: event.blockHash.toLowerCase(),
    logIndex: event.logIndex,
    transactionHash: event.transactionHash.toLowerCase(),
    from: event.from.toLowerCase(),
    to: event.to.toLowerCase(),
  }));
  const apiEvents = api.history
    .filter((entry) => BigInt(entry.blockNumber) <= parameters.pinnedBlockNumber)
    .map((entry) => ({
      blockNumber: entry.blockNumber.toString(),
      blockHash: entry.blockHash.toLowerCase(),
      logIndex: entry.logIndex,
      transactionHash: entry.txHash.toLowerCase(),
      from: entry.from.toLowerCase(),
      to: entry.to.toLowerCase(),
    }));
  const mismatches: string[] = [];
  const length = Math.max(chainEvents.length, apiEvents.length);
  for (let index = 0; index < length; index++) {
    const onChain = chainEvents[index];
    const fromApi = apiEvents[index];
    if (!onChain) mismatches.push(`the API lists an event the chain does not have: ${JSON.stringify(fromApi)}`);
    else if (!fromApi) mismatches.push(`the API omits the event at block ${onChain.blockNumber}, log ${onChain.logIndex}`);
    else {
      for (const field of ["blockNumber", "blockHash", "logIndex", "transactionHash", "from", "to"] as const) {
        if (onChain[field] !== fromApi[field]) mismatches.push(`event ${index} ${field}: API ${fromApi[field]}, chain ${onChain[field]}`);
      }
    }
  }
  const view = edition.view;
  const expected: Record<string, unknown> = {
    owner: history.owner?.toLowerCase() ?? null,
    burned: history.burned,
    editionId: parameters.editionId.toString(),
    serial: parameters.serial,
    ...(view
      ? {
          maxSupply: Number(view.maxSupply),
          metadataCid: view.metadataCid,
          mediaCid: view.mediaCid,
          contentSha256: view.contentSha256.toLowerCase(),
          transferPolicy: transferPolicyOfCode(view.transferPolicy),
        }
      : {}),
  };
  const shown: Record<string, unknown> = {
    owner: api.token.owner?.toLowerCase() ?? null,
    burned: api.token.burned,
    editionId: api.token.editionId,
    serial: api.token.serial,
    maxSupply: api.token.maxSupply,
    metadataCid: api.token.metadataCid,
    mediaCid: api.token.mediaCid,
    contentSha256: api.token.contentSha256.toLowerCase(),
    transferPolicy: api.token.transferPolicy,
  };
  for (const [field, value] of Object.entries(expected)) {
    if (shown[field] !== value) mismatches.push(`${field}: API ${String(shown[field])}, chain ${String(value)}`);
  }
  const evidence = { apiEvents, token: shown, ...(mismatches.length > 0 ? { mismatches } : {}) };
  if (mismatches.length > 0) {
    return failed(NAME, "API_PROVENANCE_MISMATCH", `The platform's record differs from the chain: ${mismatches.slice(0, 3).join("; ")}.`, evidence);
  }
  return passed(NAME, `The platform's provenance (${apiEvents.length} events) and token view equal the chain exactly.`, evidence);
}
