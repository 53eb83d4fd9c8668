import type { EventHandler } from "../types.js";

import { handleCollectionCreated } from "./handleCollectionCreated.js";
import { handleEditionCreated } from "./handleEditionCreated.js";
import { handleEditionMetadataFrozen } from "./handleEditionMetadataFrozen.js";
import { handleEditionMetadataUpdated } from "./handleEditionMetadataUpdated.js";
import { handleEditionSealed } from "./handleEditionSealed.js";
import { handlePauseChanged } from "./handlePauseChanged.js";
import { handleRoleChanged } from "./handleRoleChanged.js";
import { handleTokenBurned } from "./handleTokenBurned.js";
import { handleTransfers } from "./handleTransfers.js";
import { handleTransferPolicyUpdated } from "./handleTransferPolicyUpdated.js";
import { handleVoucherCancelled } from "./handleVoucherCancelled.js";
import { handleVoucherRedeemed } from "./handleVoucherRedeemed.js";

/**
 * The handler of each event that changes a derived table. Every other event (Approval, ApprovalForAll,
 * Locked, MetadataUpdate, BatchMetadataUpdate, ContractURIUpdated, Initialized, RoleAdminChanged) is
 * stored in indexer_events only. A Transfer is kept as its indexer_transfers row (indexer_logs shows it raw).
 */
export const eventHandlers: Readonly<Record<string, EventHandler>> = {
  CollectionCreated: handleCollectionCreated,
  EditionCreated: handleEditionCreated,
  EditionSealed: handleEditionSealed,
  EditionMetadataUpdated: handleEditionMetadataUpdated,
  EditionMetadataFrozen: handleEditionMetadataFrozen,
  TransferPolicyUpdated: handleTransferPolicyUpdated,
  // commitRange hands runs of Transfers to handleTransfers directly; this entry serves a lone one.
  Transfer: async (context, log) => {
    await handleTransfers(context, [log]);
  },
  TokenBurned: handleTokenBurned,
  VoucherRedeemed: handleVoucherRedeemed,
  VoucherCancelled: handleVoucherCancelled,
  Paused: handlePauseChanged,
  Unpaused: handlePauseChanged,
  RoleGranted: handleRoleChanged,
  RoleRevoked: handleRoleChanged,
};
