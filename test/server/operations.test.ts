import type { TestPlatform } from "../support/startTestPlatform.js";

import { getAddress, keccak256, toHex } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createEditionOnChain, createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

const ADMIN_API_KEY = "test-admin-key-0123456789abcdef";
let platform: TestPlatform;

beforeAll(async () => {
  platform = await startTestPlatform("operations", { ADMIN_API_KEY });
});

afterAll(async () => {
  await platform?.stop();
});

/** The value of one sample line of the Prometheus text, or undefined when absent. */
function sample(metrics: string, series: string): number | undefined {
  const line = metrics.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("operations endpoints", () => {
  test("/api/health/live answers while the process runs; /api/health/ready reports dependencies and roles held", async () => {
    const live = await platform.call("GET", "/api/health/live");
    expect(live).toMatchObject({ status: 200, body: { status: "live" } });
    const ready = await platform.call("GET", "/api/health/ready");
    expect(ready.status).toBe(200);
    // One instance on its embedded database holds both cluster roles.
    expect(ready.body).toEqual({
      status: "ready",
      accepting: true,
      chain: "ok",
      database: "ok",
      roles: { mintSender: true, indexerWriter: true },
    });
  });

  test("a request's X-Request-Id is echoed and quoted in its error body; a malformed one is replaced", async () => {
    const traced = await platform.call<{ error: { code: string; requestId: string } }>("GET", "/api/no-such-route", {
      headers: { "x-request-id": "req-42.abc" },
    });
    expect(traced.status).toBe(404);
    expect(traced.headers.get("x-request-id")).toBe("req-42.abc");
    expect(traced.body.error).toMatchObject({ code: "ROUTE_NOT_FOUND", requestId: "req-42.abc" });

    const malformed = await platform.call("GET", "/api/health/live", { headers: { "x-request-id": "two words<script>" } });
    expect(malformed.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("/metrics exposes request latency, the mint queue, the sender's nonce, indexer lag and roles", async () => {
    const issuer = await createIssuerWithCollection(platform.call, ADMIN_API_KEY);
    const editionId = await createEditionOnChain(platform.server.rpcUrl, issuer.collection, 10);
    const to = getAddress(`0x${keccak256(toHex("operations-metrics")).slice(-40)}`);
    const submitted = await platform.call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": "operations-metrics" },
      body: { to, quantity: 2 },
    });
    expect(submitted.status).toBe(202);
    expect((await waitForJob(platform.call, issuer.apiKey, submitted.body.jobId)).state).toBe("completed");

    const response = await fetch(`${platform.server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
    const metrics = await response.text();
    // Labelled by the route pattern, not the raw path.
    expect(
      sample(
        metrics,
        'vermilion_http_request_duration_seconds_count{method="POST",route="/api/collections/:address/editions/:editionId/mint",status="202"}',
      ),
    ).toBe(1);
    expect(sample(metrics, 'vermilion_mint_queue_depth{state="pending"}')).toBe(0);
    expect(sample(metrics, 'vermilion_mint_queue_depth{state="sent"}')).toBe(0);
    expect(sample(metrics, "vermilion_mint_queue_oldest_age_seconds")).toBe(0);
    // The mint went out from the issuer's operating key with nonce 1 (its nonce 0 created the edition above).
    const me = await platform.call<{ operatingAddress: string }>("GET", "/api/issuers/me", { key: issuer.apiKey });
    expect(sample(metrics, `vermilion_sender_nonce{sender="${me.body.operatingAddress}"}`)).toBe(1);
    expect(sample(metrics, "vermilion_indexer_lag_blocks")).toBeGreaterThanOrEqual(0);
    // The mint above was indexed moments ago on a chain whose blocks carry wall-clock timestamps.
    const lagSeconds = sample(metrics, "vermilion_indexer_lag_seconds");
    expect(lagSeconds).toBeGreaterThanOrEqual(0);
    expect(lagSeconds).toBeLessThan(300);
    expect(sample(metrics, 'vermilion_cluster_role_held{role="mintSender"}')).toBe(1);
    expect(metrics).toContain("# TYPE vermilion_rpc_errors_total counter");
    expect(metrics).toContain("# TYPE vermilion_ipfs_pin_failures_total counter");
  });
});
