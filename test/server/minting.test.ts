import type { Address } from "viem";
import type { RunningServer } from "../../server/startup/startServer.js";
import type { ApiClient } from "../support/httpClient.js";

import { createPublicClient, getAddress, http, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { errorCode } from "../support/httpClient.js";
import { startTestPlatform, type TestPlatform } from "../support/startTestPlatform.js";
import { createEditionOnChain, createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";

interface JobView {
  jobId: string;
  state: string;
  progress: { done: number; total: number };
  tokenIds: string[];
  transactions: string[];
  error: { code: string } | null;
}

let platform: TestPlatform;
let server: RunningServer;
let call: ApiClient;
let issuer: { issuerId: string; apiKey: string; collection: Address };

function addressNumber(n: number): Address {
  return getAddress(`0x${keccak256(toHex(`recipient-${n}`)).slice(-40)}`);
}

function ownerOf(collection: Address, tokenId: bigint): Promise<Address> {
  const client = createPublicClient({ transport: http(server.rpcUrl) });
  return client.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [tokenId] });
}

function mintedCount(collection: Address, editionId: bigint): Promise<bigint> {
  const client = createPublicClient({ transport: http(server.rpcUrl) });
  return client
    .readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "edition", args: [editionId] })
    .then((edition) => edition.mintedCount);
}

beforeAll(async () => {
  platform = await startTestPlatform("mint");
  ({ server, call } = platform);
  issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!);
});

afterAll(async () => {
  await platform?.stop();
});

describe("POST …/editions/:editionId/mint", () => {
  test("mints to one address through a durable job and reports the token ids", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 100);
    const to = addressNumber(1);
    const accepted = await call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "mint-one-address-1" },
      body: { to, quantity: 3 },
    });
    expect(accepted.status).toBe(202);
    const job = await waitForJob<JobView>(call, issuer.apiKey, accepted.body.jobId);
    expect(job).toMatchObject({ state: "completed", progress: { done: 3, total: 3 }, error: null });
    const base = encodeTokenId(editionId, 0);
    expect(job.tokenIds).toEqual([base + 1n, base + 2n, base + 3n].map(String));
    expect(job.transactions).toHaveLength(1);
    expect(await ownerOf(issuer.collection, base + 3n)).toBe(to);
  });

  test("an airdrop of 450 addresses is split into transactions and mints one token each", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 1_000);
    const recipients = Array.from({ length: 450 }, (_, index) => addressNumber(1_000 + index));
    const accepted = await call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "airdrop-450" },
      body: { recipients },
    });
    expect(accepted.status).toBe(202);
    const job = await waitForJob<JobView>(call, issuer.apiKey, accepted.body.jobId);
    expect(job.state).toBe("completed");
    expect(job.transactions).toHaveLength(3);
    expect(job.tokenIds).toHaveLength(450);
    for (const index of [0, 199, 200, 449]) {
      expect(await ownerOf(issuer.collection, BigInt(job.tokenIds[index]!))).toBe(recipients[index]);
    }
  });

  test("20 concurrent requests with one idempotency key make one job and one mint", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 100);
    const requests = Array.from({ length: 20 }, () =>
      call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
        key: issuer.apiKey,
        headers: { "idempotency-key": "same-key-twenty-times" },
        body: { to: addressNumber(2), quantity: 2 },
      }),
    );
    const responses = await Promise.all(requests);
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(202));
    const jobIds = new Set(responses.map((response) => response.body.jobId));
    expect(jobIds.size).toBe(1);
    const job = await waitForJob<JobView>(call, issuer.apiKey, [...jobIds][0]!);
    expect(job.state).toBe("completed");
    expect(await mintedCount(issuer.collection, editionId)).toBe(2n);

    const reused = await call("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "same-key-twenty-times" },
      body: { to: addressNumber(2), quantity: 3 },
    });
    expect(reused.status).toBe(409);
    expect(errorCode(reused)).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  test("2 × supply concurrent requests mint exactly the supply; the rest are EDITION_SOLD_OUT", async () => {
    const supply = 5;
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, supply);
    const responses = await Promise.all(
      Array.from({ length: supply * 2 }, (_, index) =>
        call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
          key: issuer.apiKey,
          headers: { "idempotency-key": `sold-out-race-${index}` },
          body: { to: addressNumber(3 + index), quantity: 1 },
        }),
      ),
    );
    const accepted = responses.filter((response) => response.status === 202);
    const refused = responses.filter((response) => response.status === 409);
    expect(accepted).toHaveLength(supply);
    expect(refused).toHaveLength(supply);
    for (const response of refused) expect(errorCode(response)).toBe("EDITION_SOLD_OUT");
    for (const response of accepted) {
      const settled = await waitForJob<JobView>(call, issuer.apiKey, response.body.jobId);
      expect(settled.state, JSON.stringify(settled)).toBe("completed");
    }
    expect(await mintedCount(issuer.collection, editionId)).toBe(BigInt(supply));
  });

  test("bad requests name the field and write nothing", async () => {
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
    const route = `/api/collections/${issuer.collection}/editions/${editionId}/mint`;
    const noKey = await call("POST", route, { key: issuer.apiKey, body: { to: addressNumber(9), quantity: 1 } });
    expect(noKey.status).toBe(400);
    expect((noKey.body as { error: { details: { field: string } } }).error.details.field).toBe("headers.idempotency-key");
    const cases: Array<[unknown, string]> = [
      [{ to: "0x12", quantity: 1 }, "body.to"],
      [{ to: addressNumber(9), quantity: 0 }, "body.quantity"],
      [{ recipients: [] }, "body.recipients"],
    ];
    for (const [body, field] of cases) {
      const response = await call("POST", route, { key: issuer.apiKey, headers: { "idempotency-key": `bad-${field}` }, body });
      expect(response.status, field).toBe(400);
      expect(errorCode(response), field).toBe("VALIDATION_FAILED");
    }
    const tooMany = await call("POST", route, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "too-many-tokens" },
      body: { to: addressNumber(9), quantity: 11 },
    });
    expect(tooMany.status).toBe(409);
    expect(errorCode(tooMany)).toBe("EDITION_SOLD_OUT");
    const unknownEdition = await call("POST", `/api/collections/${issuer.collection}/editions/999/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "unknown-edition" },
      body: { to: addressNumber(9), quantity: 1 },
    });
    expect(unknownEdition.status).toBe(404);
    expect(errorCode(unknownEdition)).toBe("EDITION_NOT_FOUND");
    expect(await mintedCount(issuer.collection, editionId)).toBe(0n);
  });

  test("an issuer cannot mint on another issuer's collection or read its jobs", async () => {
    const other = await createIssuerWithCollection(call, server.firstAdminApiKey!, "Palace Museum");
    const editionId = await createEditionOnChain(server.rpcUrl, issuer.collection, 10);
    const forbidden = await call("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
      key: other.apiKey,
      headers: { "idempotency-key": "not-mine-1" },
      body: { to: addressNumber(9), quantity: 1 },
    });
    expect(forbidden.status).toBe(403);
    expect(errorCode(forbidden)).toBe("FORBIDDEN");
    const mine = await call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "mine-1" },
      body: { to: addressNumber(9), quantity: 1 },
    });
    expect(mine.status, JSON.stringify(mine.body)).toBe(202);
    const peek = await call("GET", `/api/jobs/${mine.body.jobId}`, { key: other.apiKey });
    expect(peek.status).toBe(404);
  });
});
