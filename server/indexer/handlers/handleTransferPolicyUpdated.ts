import type { EventHandler } from "../types.js";

import { transferPolicyOfCode } from "vermilion-verify/shared/transferPolicy.js";
import { updateEdition } from "./updateEdition.js";

/** TransferPolicyUpdated: the edition's policy was loosened (it applies to every token at once). */
export const handleTransferPolicyUpdated: EventHandler = async (context, log) => {
  const { editionId, transferPolicy, holdSeconds } = log.args as { editionId: bigint; transferPolicy: number; holdSeconds: bigint };
  await updateEdition(context, log, editionId, "transfer_policy = $4, hold_seconds = $5", [
    transferPolicyOfCode(transferPolicy) ?? `unknown(${transferPolicy})`,
    holdSeconds,
  ]);
};
