import type { VermilionError } from "../../errors/VermilionError.js";
import type { SenderDeps } from "./senderDeps.js";

import { isVermilionError } from "../../errors/VermilionError.js";

/**
 * Makes sure an issuer's key can pay for a transaction (the platform's funding key tops it up within the
 * issuer's gas budget). Returns the reason to wait when it cannot be paid for now (budget spent, funding
 * key empty); the platform's own key pays its own gas.
 */
export async function fundSender(
  deps: Pick<SenderDeps, "sender" | "isPlatformKey" | "gasFunder">,
  parameters: { issuerId: string; neededWei: bigint },
): Promise<VermilionError | undefined> {
  if (deps.isPlatformKey) return undefined;
  try {
    await deps.gasFunder!.ensureFunded({ issuerId: parameters.issuerId, address: deps.sender, neededWei: parameters.neededWei });
    return undefined;
  } catch (error) {
    if (isVermilionError(error, "ISSUER_GAS_BUDGET_EXCEEDED") || isVermilionError(error, "GAS_FUNDING_EXHAUSTED")) return error;
    throw error;
  }
}
