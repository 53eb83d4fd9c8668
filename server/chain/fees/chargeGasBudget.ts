import type { ChainFees } from "./feePolicy.js";

import { VermilionError } from "../../errors/VermilionError.js";

export interface ChargeGasBudgetParameters {
  /** What the transaction about to be signed may cost at most: gas limit × max fee per gas (or gas price). */
  amountWei: bigint;
}

/**
 * Counts a transaction against the deployment's hourly gas budget before it is signed, or refuses it
 * with GAS_BUDGET_HOUR_SPENT. What is counted is what is signed, at its worst: gas limit × max fee per
 * gas (a replacement adds only what it may cost above the transaction it replaces, since one of them is
 * mined at most). The chain's receipt can only come in lower, so the real spending never exceeds the
 * budget. Hours are clock hours in UTC; the counter lives in the database (`gas_budget_hours`), so a
 * restart or another instance never finds the hour's budget fresh. The check and the charge are one
 * statement: concurrent senders cannot both take the last of it.
 */
export async function chargeGasBudget(fees: ChainFees, parameters: ChargeGasBudgetParameters): Promise<void> {
  const budgetWei = fees.policy.budgetPerHourWei;
  if (budgetWei === undefined || fees.budget === undefined || parameters.amountWei <= 0n) return;
  const { db, chainId } = fees.budget;
  const { rows } = await db.query<{ charged_wei: string }>(
    `INSERT INTO gas_budget_hours (chain_id, hour_start, charged_wei)
     SELECT $1, date_trunc('hour', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', $2::numeric WHERE $2::numeric <= $3::numeric
     ON CONFLICT (chain_id, hour_start) DO UPDATE SET charged_wei = gas_budget_hours.charged_wei + EXCLUDED.charged_wei
       WHERE gas_budget_hours.charged_wei + EXCLUDED.charged_wei <= $3::numeric
     RETURNING charged_wei::text`,
    [chainId, parameters.amountWei.toString(), budgetWei.toString()],
  );
  if (rows.length > 0) return;
  const spent = await db.query<{ charged_wei: string | null; resets_at: Date }>(
    `SELECT (SELECT charged_wei::text FROM gas_budget_hours WHERE chain_id = $1 AND hour_start = date_trunc('hour', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS charged_wei,
            date_trunc('hour', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 hour' AS resets_at`,
    [chainId],
  );
  throw new VermilionError("GAS_BUDGET_HOUR_SPENT", {
    budgetWei: budgetWei.toString(),
    spentWei: spent.rows[0]?.charged_wei ?? "0",
    neededWei: parameters.amountWei.toString(),
    resetsAt: new Date(spent.rows[0]!.resets_at).toISOString(),
  });
}
