import type { TestDatabase } from "../../test/support/openTestDatabase.js";
import type { IdempotentAnswer } from "./runIdempotently.js";

import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { openTestDatabase } from "../../test/support/openTestDatabase.js";
import { openPostgres } from "../db/openPostgres.js";
import { TEST_POSTGRES_URL } from "../../test/support/openTestDatabase.js";
import { runIdempotently } from "./runIdempotently.js";

/** An execute that counts its runs and answers with its run number. */
function counted(status = 201): { runs: () => number; execute: () => Promise<IdempotentAnswer> } {
  let runs = 0;
  return {
    runs: () => runs,
    execute: async () => {
      runs += 1;
      return { status, body: { run: runs } };
    },
  };
}

function errorCodeOf(error: unknown): string | undefined {
  return (error as { code?: string }).code;
}

describe.each(["pglite", "postgres"] as const)("runIdempotently on %s", (kind) => {
  let testDatabase: TestDatabase;
  const principal = "issuer:00000000-0000-4000-8000-000000000001";
  const operation = "POST /api/collections/:address/pause";

  beforeAll(async () => {
    testDatabase = await openTestDatabase(kind);
  });
  afterAll(async () => {
    await testDatabase?.dispose();
  });

  const run = (idempotencyKey: string | undefined, request: unknown, execute: () => Promise<IdempotentAnswer>, extra: object = {}) =>
    runIdempotently({ db: testDatabase.db }, { principal, idempotencyKey, operation, request, ...extra }, execute);

  test("the same key with the same request returns the first answer, replayed, and runs once", async () => {
    const key = randomUUID();
    const { runs, execute } = counted();

    const first = await run(key, { params: { address: "0xaa" } }, execute);
    const second = await run(key, { params: { address: "0xaa" } }, execute);

    expect(first).toEqual({ status: 201, body: { run: 1 }, replayed: false });
    expect(second).toEqual({ status: 201, body: { run: 1 }, replayed: true });
    expect(runs()).toBe(1);
  });

  test("the same key with another request is refused with IDEMPOTENCY_KEY_REUSED and does not run", async () => {
    const key = randomUUID();
    const { runs, execute } = counted();
    await run(key, { body: { name: "A" } }, execute);

    const refused = await run(key, { body: { name: "B" } }, execute).catch((error: unknown) => error);

    expect(errorCodeOf(refused)).toBe("IDEMPOTENCY_KEY_REUSED");
    expect(runs()).toBe(1);
  });

  test("object key order and bigints do not change a request's identity", async () => {
    const key = randomUUID();
    const { runs, execute } = counted();
    await run(key, { params: { editionId: 7n, address: "0xaa" } }, execute);

    const again = await run(key, { params: { address: "0xaa", editionId: 7n } }, execute);

    expect(again.replayed).toBe(true);
    expect(runs()).toBe(1);
  });

  test("without a key the write runs every time", async () => {
    const { runs, execute } = counted();
    await run(undefined, {}, execute);
    await run(undefined, {}, execute);
    expect(runs()).toBe(2);
  });

  test("two issuers' identical keys never meet", async () => {
    const key = randomUUID();
    const { runs, execute } = counted();
    await run(key, {}, execute);
    const other = await runIdempotently({ db: testDatabase.db }, { principal: "issuer:other", idempotencyKey: key, operation, request: {} }, execute);
    expect(other).toEqual({ status: 201, body: { run: 2 }, replayed: false });
    expect(runs()).toBe(2);
  });

  test("concurrent twins with one key run once; every twin gets the one answer", async () => {
    const key = randomUUID();
    let runs = 0;
    const execute = async (): Promise<IdempotentAnswer> => {
      runs += 1;
      await sleep(300);
      return { status: 200, body: { txHash: "0x01" } };
    };

    const results = await Promise.all(Array.from({ length: 8 }, () => run(key, { params: { address: "0xaa" } }, execute)));

    expect(runs).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
    for (const result of results) expect(result).toMatchObject({ status: 200, body: { txHash: "0x01" } });
  });

  test("a twin still running past the wait is answered IDEMPOTENCY_REQUEST_IN_PROGRESS, then gets the answer once it is done", async () => {
    const key = randomUUID();
    let finish!: () => void;
    const first = run(key, {}, () => new Promise<IdempotentAnswer>((resolve) => (finish = () => resolve({ status: 200, body: { done: true } }))));
    await sleep(100);

    const early = await run(key, {}, counted().execute, { waitMs: 300 }).catch((error: unknown) => error);
    finish();
    await first;
    const late = await run(key, {}, counted().execute);

    expect(errorCodeOf(early)).toBe("IDEMPOTENCY_REQUEST_IN_PROGRESS");
    expect(late).toEqual({ status: 200, body: { done: true }, replayed: true });
  });

  test("a failure releases the key: the retry runs again and its answer is the one kept", async () => {
    const key = randomUUID();
    const failed = await run(key, {}, () => Promise.reject(Object.assign(new Error("chain down"), { code: "CHAIN_UNAVAILABLE" }))).catch(
      (error: unknown) => error,
    );
    const { runs, execute } = counted(200);

    const retried = await run(key, {}, execute);
    const replayed = await run(key, {}, execute);

    expect(errorCodeOf(failed)).toBe("CHAIN_UNAVAILABLE");
    expect(retried).toEqual({ status: 200, body: { run: 1 }, replayed: false });
    expect(replayed).toEqual({ status: 200, body: { run: 1 }, replayed: true });
    expect(runs()).toBe(1);
  });

  test("a claim left running past its lease (a crashed process) is taken over by a retry", async () => {
    const key = randomUUID();
    // The first holder never answers, as a process that died mid-write.
    void run(key, {}, () => new Promise<IdempotentAnswer>(() => undefined), { leaseSeconds: 1 });
    await sleep(100);
    const { runs, execute } = counted(200);

    const takenOver = await run(key, {}, execute, { waitMs: 5_000 });

    expect(takenOver).toEqual({ status: 200, body: { run: 1 }, replayed: false });
    expect(runs()).toBe(1);
  });

  test("a slow holder whose lease was taken over keeps its own answer but cannot overwrite the stored one", async () => {
    const key = randomUUID();
    let finishSlow!: () => void;
    const slowDone = new Promise<void>((resolve) => (finishSlow = resolve));
    const slow = run(key, {}, async () => {
      await slowDone;
      return { status: 200, body: { run: "slow" } };
    }, { leaseSeconds: 1 });
    await sleep(1_200);
    const takenOver = await run(key, {}, async () => ({ status: 200, body: { run: "taker" } }), { waitMs: 5_000 });
    finishSlow();

    expect(await slow).toEqual({ status: 200, body: { run: "slow" }, replayed: false });
    expect(takenOver).toEqual({ status: 200, body: { run: "taker" }, replayed: false });
    expect(await run(key, {}, counted().execute)).toEqual({ status: 200, body: { run: "taker" }, replayed: true });
  });

  test("a crashed claim is not taken over by another request with its key: IDEMPOTENCY_KEY_REUSED", async () => {
    const key = randomUUID();
    void run(key, { body: 1 }, () => new Promise<IdempotentAnswer>(() => undefined), { leaseSeconds: 1 });
    await sleep(1_200);

    const refused = await run(key, { body: 2 }, counted().execute).catch((error: unknown) => error);

    expect(errorCodeOf(refused)).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  test("the table holds keys only hashed, and a sealed answer (an API key) only encrypted; the key opens it again", async () => {
    const key = randomUUID();
    const secret = `vmn_${randomUUID()}`;
    const execute = async (): Promise<IdempotentAnswer> => ({ status: 201, body: { keyId: "k1", apiKey: secret } });

    await run(key, { body: {} }, execute, { sealAnswer: true });
    const replayed = await run(key, { body: {} }, counted().execute, { sealAnswer: true });
    const { rows } = await testDatabase.db.query<{ idempotency_key: string; response_body: unknown }>(
      "SELECT idempotency_key, response_body FROM idempotent_requests WHERE principal = $1",
      [principal],
    );
    const stored = JSON.stringify(rows);

    expect(replayed).toEqual({ status: 201, body: { keyId: "k1", apiKey: secret }, replayed: true });
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(secret);
  });
});

describe("runIdempotently across two PostgreSQL connections (two processes)", () => {
  let testDatabase: TestDatabase;
  let second: Awaited<ReturnType<typeof openPostgres>>;

  beforeAll(async () => {
    testDatabase = await openTestDatabase("postgres");
    second = await openPostgres({ connectionString: TEST_POSTGRES_URL, schema: testDatabase.schema! });
  });
  afterAll(async () => {
    await second?.close();
    await testDatabase?.dispose();
  });

  test("twins sent to two processes at once run once", async () => {
    const key = randomUUID();
    let runs = 0;
    const execute = async (): Promise<IdempotentAnswer> => {
      runs += 1;
      await sleep(200);
      return { status: 201, body: { collection: "0xcc" } };
    };
    const parameters = { principal: "admin", idempotencyKey: key, operation: "POST /api/collections", request: { body: { name: "A" } } };

    const results = await Promise.all([
      runIdempotently({ db: testDatabase.db }, parameters, execute),
      runIdempotently({ db: second }, parameters, execute),
      runIdempotently({ db: testDatabase.db }, parameters, execute),
      runIdempotently({ db: second }, parameters, execute),
    ]);

    expect(runs).toBe(1);
    expect(results.map((result) => result.body)).toEqual(Array.from({ length: 4 }, () => ({ collection: "0xcc" })));
  });
});
