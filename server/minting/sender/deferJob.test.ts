import type { TestDatabase } from "../../../test/support/openTestDatabase.js";

import { randomUUID } from "node:crypto";

import pino from "pino";
import { afterEach, beforeEach, expect, test } from "vitest";

import { openTestDatabase } from "../../../test/support/openTestDatabase.js";
import { VermilionError } from "../../errors/VermilionError.js";
import { markJobWaiting } from "./deferJob.js";

let database: TestDatabase;
let jobId: string;

beforeEach(async () => {
  database = await openTestDatabase();
  const { rows } = await database.db.query<{ issuer_id: string }>("INSERT INTO issuers (name) VALUES ('Fees') RETURNING issuer_id");
  jobId = randomUUID();
  await database.db.query(
    `INSERT INTO mint_jobs (job_id, chain_id, issuer_id, collection_address, edition_id, kind, idempotency_key, request_sha256, total_tokens, state)
     VALUES ($1, 31337, $2, '0x00000000000000000000000000000000000000c0', 1, 'mint', 'k', 'x', 1, 'sending')`,
    [jobId, rows[0]!.issuer_id],
  );
});

afterEach(async () => {
  await database.dispose();
});

/** A logger whose lines the test reads. */
function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: "info" }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

const capped = () => new VermilionError("FEE_BUMP_CAPPED", { txHash: "0xabc", nonce: "3", paidWei: "10", neededWei: "11", capWei: "10" });

test("a job that begins to wait at the fee cap logs one warning with alert fee-cap-reached, not one per poll", async () => {
  const { logger, lines } = capturingLogger();
  const deps = { db: database.db, logger };
  expect(await markJobWaiting(deps, { jobId, reason: capped() })).toEqual({ began: true });
  expect(await markJobWaiting(deps, { jobId, reason: capped() })).toEqual({ began: false });
  expect(await markJobWaiting(deps, { jobId, reason: capped() })).toEqual({ began: false });
  const alerts = lines.filter((line) => line.alert !== undefined);
  expect(alerts).toHaveLength(1);
  expect(alerts[0]).toMatchObject({ alert: "fee-cap-reached", level: 40, jobId, code: "FEE_BUMP_CAPPED", capWei: "10", neededWei: "11" });
  const { rows } = await database.db.query<{ waiting_code: string; waiting_details: unknown }>("SELECT waiting_code, waiting_details FROM mint_jobs WHERE job_id = $1", [jobId]);
  expect(rows).toEqual([{ waiting_code: "FEE_BUMP_CAPPED", waiting_details: capped().details }]);
});

test("a new episode (the job waited on something else in between) alerts again; other codes raise no alert", async () => {
  const { logger, lines } = capturingLogger();
  const deps = { db: database.db, logger };
  await markJobWaiting(deps, { jobId, reason: capped() });
  expect(await markJobWaiting(deps, { jobId, reason: new VermilionError("COLLECTION_PAUSED", { collection: "0xc0" }) })).toEqual({ began: true });
  await markJobWaiting(deps, { jobId, reason: capped() });
  expect(lines.filter((line) => line.alert === "fee-cap-reached")).toHaveLength(2);
  expect(lines.filter((line) => line.code === "COLLECTION_PAUSED" && line.alert !== undefined)).toHaveLength(0);
});
