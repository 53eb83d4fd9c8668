import type { VermilionError } from "../../errors/VermilionError.js";
import type { SenderDeps } from "./senderDeps.js";

import { isVermilionError } from "../../errors/VermilionError.js";

/**
 * Makes sure an issuer's key can pay for a transaction (the platform's funding key tops it up within the
 * issuer's gas budget). Returns the reason to wait when it cannot be paid for now (issuer's budget spent,
 * funding key empty, the top-up itself held back by the fee cap or the hourly budget); the platform's
 * own key pays its own gas.
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
    // The top-up is a transaction of the platform's too: the fee cap and the hourly budget hold it back alike.
    for (const code of ["ISSUER_GAS_BUDGET_EXCEEDED", "GAS_FUNDING_EXHAUSTED", "FEE_CAP_BELOW_MARKET", "GAS_BUDGET_HOUR_SPENT"] as const) {
      if (isVermilionError(error, code)) return error;
    }
    throw error;
  }
}
