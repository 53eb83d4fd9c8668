import type { Logger } from "pino";
import type { CustodyDeps, CustodyTransferRow } from "../issuers/custody/finishCustodyTransfer.js";

import { CUSTODY_TRANSFER_COLUMNS, finishCustodyTransfer } from "../issuers/custody/finishCustodyTransfer.js";

/**
 * Finishes the custody transfers a crash or a failed step left pending (docs/issuers.md). One that
 * fails again (chain down, gas budget spent) stays pending for the next start or the issuer's retry;
 * it never stops this start. Returns how many were finished.
 */
export async function resumeCustodyTransfers(deps: CustodyDeps & { logger: Logger }): Promise<number> {
  const { rows } = await deps.db.query<CustodyTransferRow>(
    `SELECT ${CUSTODY_TRANSFER_COLUMNS} FROM custody_transfers WHERE chain_id = $1 AND state = 'pending' ORDER BY created_at`,
    [BigInt(deps.chain.chainId)],
  );
  let finished = 0;
  for (const transfer of rows) {
    try {
      await finishCustodyTransfer(deps, transfer);
      finished += 1;
      deps.logger.info({ issuerId: transfer.issuer_id, account: transfer.account }, "finished an interrupted custody transfer");
    } catch (error) {
      deps.logger.warn({ err: error, issuerId: transfer.issuer_id }, "custody transfer still pending; the next start or the issuer's retry finishes it");
    }
  }
  return finished;
}
