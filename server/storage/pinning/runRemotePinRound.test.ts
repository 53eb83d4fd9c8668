import type { Database } from "../../db/Database.js";
import type { PinningService } from "../../../test/support/startPinningService.js";
import type { RemotePinBackoff } from "./remotePinBackoff.js";

import { afterEach, beforeEach, describe, expect, test } from "vitest";

import { openPostgres } from "../../db/openPostgres.js";
import { TEST_POSTGRES_URL, openTestDatabase, type TestDatabase } from "../../../test/support/openTestDatabase.js";
import { startPinningService } from "../../../test/support/startPinningService.js";
import { advanceRemotePin } from "./advanceRemotePin.js";
import { claimDueRemotePins } from "./claimDueRemotePins.js";
import { createPinningServiceClient } from "./pinningServiceClient.js";
import { reopenRejectedRemotePins } from "./reopenRejectedRemotePins.js";
import { runRemotePinRound } from "./runRemotePinRound.js";

const TOKEN = "service-token";
const CID_A = "bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e";
const CID_B = "bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi";
const BACKOFF: RemotePinBackoff = { retryBaseMs: 1_000, retryMaxMs: 60_000, pollBaseMs: 2_000, pollMaxMs: 10_000 };
const START = new Date("2026-12-05T12:00:00.000Z");

interface PinRow {
  state: string;
  request_id: string | null;
  attempts: number;
  next_attempt_at: Date;
  last_error_code: string | null;
  last_error: string | null;
}

describe.each(["pglite", "postgres"] as const)("remote pinning rounds on %s against our Pinning Service API", (engine) => {
  let database: TestDatabase;
  let db: Database;
  let service: PinningService;
  let clock: Date;

  beforeEach(async () => {
    database = await openTestDatabase(engine);
    db = database.db;
    service = await startPinningService({ token: TOKEN });
    clock = START;
  });

  afterEach(async () => {
    await service.close();
    await database.dispose();
  });

  const advanceClock = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  const round = (options: { token?: string; timeoutMs?: number; db?: Database; batchSize?: number } = {}) =>
    runRemotePinRound(
      {
        db: options.db ?? db,
        client: createPinningServiceClient({ endpoint: service.url, accessToken: options.token ?? TOKEN, timeoutMs: options.timeoutMs ?? 5_000 }),
        backoff: BACKOFF,
        now: () => clock,
      },
      options.batchSize ? { batchSize: options.batchSize } : {},
    );
  const addPin = async (cid: string, name = `vermilion:31337:0xc0:1:${cid.slice(-4)}`) => {
    await db.query("INSERT INTO remote_pins (cid, name, next_attempt_at, created_at) VALUES ($1, $2, $3, $3)", [cid, name, clock]);
  };
  const pinRow = async (cid: string): Promise<PinRow> => (await db.query<PinRow>("SELECT * FROM remote_pins WHERE cid = $1", [cid])).rows[0]!;
  const posts = () => service.requests.filter((request) => request === "POST /pins").length;

  test("a pin goes queued → pinning → pinned with one POST, polled at growing intervals", async () => {
    await addPin(CID_A);

    expect(await round()).toEqual([{ cid: CID_A, state: "queued", recorded: true }]);
    expect(await pinRow(CID_A)).toMatchObject({ state: "queued", request_id: "request-1", next_attempt_at: new Date(START.getTime() + 2_000) });
    // Before its poll is due nothing is claimed.
    advanceClock(1_999);
    expect(await round()).toEqual([]);
    advanceClock(1);
    expect((await round())[0]?.state).toBe("pinning");
    expect((await pinRow(CID_A)).next_attempt_at).toEqual(new Date(START.getTime() + 2_000 + 4_000));
    advanceClock(4_000);
    expect((await round())[0]?.state).toBe("pinned");

    advanceClock(86_400_000);
    expect(await round()).toEqual([]);
    expect(posts()).toBe(1);
    expect(service.requests).toEqual([
      `GET /pins?cid=${CID_A}&status=queued%2Cpinning%2Cpinned&limit=10`,
      "POST /pins",
      "GET /pins/request-1",
      "GET /pins/request-1",
    ]);
    expect(service.pinsOf(CID_A)).toEqual([{ requestid: "request-1", status: "pinned", name: `vermilion:31337:0xc0:1:${CID_A.slice(-4)}` }]);
  });

  test("a failing service (500, malformed JSON, 429 with Retry-After, a timeout) is retried with exponential backoff and recovers", async () => {
    await addPin(CID_A);
    service.failNext(
      { kind: "status", status: 500 },
      { kind: "malformed" },
      { kind: "status", status: 429, retryAfter: "30", reason: "RATE_LIMITED" },
      { kind: "hang" },
    );
    const expectRetried = async (attempts: number, waitMs: number) => {
      const [outcome] = await round({ timeoutMs: 300 });
      expect(outcome).toEqual({ cid: CID_A, state: "pending", errorCode: "PINNING_SERVICE_UNAVAILABLE", recorded: true });
      const row = await pinRow(CID_A);
      expect({ attempts: row.attempts, waitMs: row.next_attempt_at.getTime() - clock.getTime() }).toEqual({ attempts, waitMs });
      advanceClock(waitMs);
    };

    await expectRetried(1, 1_000); // 500
    await expectRetried(2, 2_000); // not the spec's JSON
    await expectRetried(3, 30_000); // 429: Retry-After (30 s) is longer than the backoff's 4 s
    await expectRetried(4, 8_000); // no answer within the timeout

    expect((await round())[0]).toEqual({ cid: CID_A, state: "queued", recorded: true });
    expect(await pinRow(CID_A)).toMatchObject({ state: "queued", last_error_code: null });
    expect(posts()).toBe(1);
  });

  test("a wrong token is rejected with PINNING_SERVICE_UNAUTHORIZED and not tried again until the next start reopens it", async () => {
    await addPin(CID_A);

    expect(await round({ token: "wrong-token" })).toEqual([{ cid: CID_A, state: "rejected", errorCode: "PINNING_SERVICE_UNAUTHORIZED", recorded: true }]);
    expect(await pinRow(CID_A)).toMatchObject({ state: "rejected", last_error_code: "PINNING_SERVICE_UNAUTHORIZED" });
    const requestsWhenRejected = service.requests.length;
    advanceClock(7 * 86_400_000);
    expect(await round({ token: "wrong-token" })).toEqual([]);
    expect(service.requests.length).toBe(requestsWhenRejected);

    // A restart with the token fixed tries it once more.
    expect(await reopenRejectedRemotePins({ db })).toBe(1);
    expect((await round())[0]).toEqual({ cid: CID_A, state: "queued", recorded: true });
  });

  test("a 409 (insufficient funds) and a 400 are PINNING_SERVICE_REJECTED with the service's reason, not retried", async () => {
    await addPin(CID_A);
    await addPin(CID_B);
    service.failNext({ kind: "status", status: 409, reason: "INSUFFICIENT_FUNDS" });

    const outcomes = await round({ batchSize: 1 });

    expect(outcomes).toEqual([{ cid: CID_A, state: "rejected", errorCode: "PINNING_SERVICE_REJECTED", recorded: true }]);
    expect((await pinRow(CID_A)).last_error).toBe("The pinning service refused (HTTP 409): INSUFFICIENT_FUNDS");
    await db.query("UPDATE remote_pins SET cid = '' WHERE cid = $1", [CID_B]);
    expect(await round()).toEqual([{ cid: "", state: "rejected", errorCode: "PINNING_SERVICE_REJECTED", recorded: true }]);
    expect((await pinRow("")).last_error).toBe("The pinning service refused (HTTP 400): BAD_REQUEST: cid is required");
  });

  test("a pin the service reports failed is asked again after a backoff; a request it does not know (404) is looked for and asked again at once", async () => {
    await addPin(CID_A);
    service.failPinsOf(CID_A);
    await round();
    advanceClock(2_000);

    expect((await round())[0]).toEqual({ cid: CID_A, state: "failed", errorCode: "PINNING_SERVICE_PIN_FAILED", recorded: true });
    expect(await pinRow(CID_A)).toMatchObject({ attempts: 1, next_attempt_at: new Date(clock.getTime() + 1_000) });
    expect((await pinRow(CID_A)).last_error).toContain("content not found on the network");
    advanceClock(1_000);
    expect((await round())[0]?.state).toBe("queued");
    expect(posts()).toBe(2);

    await db.query("UPDATE remote_pins SET request_id = 'forgotten', next_attempt_at = $2 WHERE cid = $1", [CID_A, clock]);
    expect((await round())[0]).toEqual({ cid: CID_A, state: "pending", recorded: true });
    // The service still has the CID's second request: it is adopted rather than a third made.
    expect((await round())[0]?.state).toBe("queued");
    expect(service.requests).toContain("GET /pins/forgotten");
    expect(await pinRow(CID_A)).toMatchObject({ request_id: "request-2" });
    expect(posts()).toBe(2);
  });

  test("a request the service already has for the CID (a crash after POST) is adopted, not made twice", async () => {
    await createPinningServiceClient({ endpoint: service.url, accessToken: TOKEN }).addPin({ cid: CID_A, name: "before the crash" });
    await addPin(CID_A);

    expect((await round())[0]).toEqual({ cid: CID_A, state: "queued", recorded: true });

    expect(await pinRow(CID_A)).toMatchObject({ request_id: "request-1" });
    expect(posts()).toBe(1);
  });

  test("two instances working at once take different pins (SKIP LOCKED)", async () => {
    const cids = Array.from({ length: 6 }, (_, index) => `${CID_A.slice(0, -1)}${"abcdef"[index]}`);
    for (const cid of cids) await addPin(cid);
    // A second connection pool on PostgreSQL, as a second instance has; embedded PGlite has one connection.
    const second = engine === "postgres" ? await openPostgres({ connectionString: TEST_POSTGRES_URL, schema: database.schema! }) : db;
    try {
      const [first, next] = await Promise.all([round({ batchSize: 4 }), round({ batchSize: 4, db: second })]);
      const taken = [...first, ...next].map((outcome) => outcome.cid).sort();
      expect(taken).toEqual([...cids].sort());
      expect(posts()).toBe(6);
    } finally {
      if (second !== db) await second.close();
    }
  });

  test("a claimer past its claim writes nothing: another instance claimed the pin since", async () => {
    await addPin(CID_A);
    const late = await claimDueRemotePins({ db }, { now: clock, limit: 1, claimMs: 1_000 });
    advanceClock(1_000);
    const current = await claimDueRemotePins({ db }, { now: clock, limit: 1, claimMs: 120_000 });
    expect(current.pins.map((pin) => pin.cid)).toEqual(late.pins.map((pin) => pin.cid));
    const client = createPinningServiceClient({ endpoint: service.url, accessToken: TOKEN });
    const outcome = await advanceRemotePin({ db, client, backoff: BACKOFF }, { pin: late.pins[0]!, claimId: late.claimId, now: clock });

    expect(outcome).toEqual({ cid: CID_A, state: "queued", recorded: false });
    expect(await pinRow(CID_A)).toMatchObject({ state: "pending", request_id: null });
  });
});
