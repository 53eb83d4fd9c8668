import type { TestDatabase } from "../../../test/support/openTestDatabase.js";
import type { ChainFees } from "./feePolicy.js";

import { afterEach, beforeEach, expect, test } from "vitest";

import { openTestDatabase } from "../../../test/support/openTestDatabase.js";
import { chargeGasBudget } from "./chargeGasBudget.js";
import { DEFAULT_FEE_POLICY } from "../../config/feePolicySettings.js";

let database: TestDatabase;
const CHAIN_ID = 31337;

beforeEach(async () => {
  database = await openTestDatabase();
});

afterEach(async () => {
  await database.dispose();
});

const feesWithBudget = (budgetPerHourWei: bigint | undefined): ChainFees => ({
  policy: { ...DEFAULT_FEE_POLICY, budgetPerHourWei },
  budget: { db: database.db, chainId: CHAIN_ID },
});

test("charges up to the hourly budget and refuses what would pass it with GAS_BUDGET_HOUR_SPENT", async () => {
  const fees = feesWithBudget(1_000n);
  await chargeGasBudget(fees, { amountWei: 600n });
  await chargeGasBudget(fees, { amountWei: 400n });
  await expect(chargeGasBudget(fees, { amountWei: 1n })).rejects.toMatchObject({
    code: "GAS_BUDGET_HOUR_SPENT",
    details: { budgetWei: "1000", spentWei: "1000", neededWei: "1" },
  });
  // A transaction that alone is above the budget is refused too, and charges nothing.
  await expect(chargeGasBudget(feesWithBudget(1_000n), { amountWei: 1_001n })).rejects.toMatchObject({ code: "GAS_BUDGET_HOUR_SPENT" });
});

test("the budget is kept in the database: a new process (another ChainFees on the same database) finds the hour spent", async () => {
  await chargeGasBudget(feesWithBudget(1_000n), { amountWei: 900n });
  const restarted = feesWithBudget(1_000n);
  await expect(chargeGasBudget(restarted, { amountWei: 200n })).rejects.toMatchObject({ code: "GAS_BUDGET_HOUR_SPENT", details: { spentWei: "900" } });
});

test("a new clock hour starts with the whole budget; the refusal says when", async () => {
  const fees = feesWithBudget(1_000n);
  await chargeGasBudget(fees, { amountWei: 1_000n });
  const refusal = await chargeGasBudget(fees, { amountWei: 1n }).catch((error: unknown) => error as { details: { resetsAt: string } });
  const resetsAt = new Date(refusal!.details.resetsAt);
  expect(resetsAt.getUTCMinutes()).toBe(0);
  expect(resetsAt.getTime()).toBeGreaterThan(Date.now());
  // The hour rolls: what was charged belongs to the previous hour.
  await database.db.query("UPDATE gas_budget_hours SET hour_start = hour_start - interval '1 hour'");
  await chargeGasBudget(fees, { amountWei: 1_000n });
});

test.each(["pglite", "postgres"] as const)("concurrent charges never pass the budget together (%s)", async (kind) => {
  if (kind === "postgres") {
    await database.dispose();
    database = await openTestDatabase("postgres");
  }
  const fees = feesWithBudget(1_000n);
  const results = await Promise.allSettled(Array.from({ length: 10 }, () => chargeGasBudget(fees, { amountWei: 300n })));
  expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(3);
  const { rows } = await database.db.query<{ charged_wei: string }>("SELECT charged_wei::text FROM gas_budget_hours");
  expect(rows).toEqual([{ charged_wei: "900" }]);
});

test("without a budget nothing is counted", async () => {
  await chargeGasBudget(feesWithBudget(undefined), { amountWei: 10n ** 30n });
  const { rows } = await database.db.query("SELECT * FROM gas_budget_hours");
  expect(rows).toEqual([]);
});
