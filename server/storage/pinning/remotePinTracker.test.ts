import type { AddressInfo } from "node:net";

import { createServer, type Server } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CID } from "multiformats/cid";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { isVermilionError } from "../../errors/VermilionError.js";
import { createPinningServiceClient } from "./pinningServiceClient.js";
import { createRemotePinTracker } from "./remotePinTracker.js";

const CID_A = CID.parse("bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e");
const TOKEN = "test-token";

/**
 * A Pinning Service API on loopback: each GET of a pin advances it one step along `script`
 * (e.g. queued → pinning → pinned), and requests without the bearer token are refused.
 */
async function startFakePinningService(script: string[]): Promise<{ server: Server; endpoint: string; requests: string[] }> {
  const pins = new Map<string, { cid: string; name: string; step: number }>();
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const send = (status: number, body?: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(body === undefined ? "" : JSON.stringify(body));
    };
    const statusOf = (requestid: string) => {
      const pin = pins.get(requestid)!;
      return { requestid, status: script[Math.min(pin.step, script.length - 1)], created: "2026-11-29T10:00:00Z", pin: { cid: pin.cid, name: pin.name }, delegates: [] };
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return send(401, { error: { reason: "UNAUTHORIZED", details: "bad token" } });
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method === "POST" && url.pathname === "/pins") {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { cid: string; name: string };
      const requestid = `req-${pins.size + 1}`;
      pins.set(requestid, { cid: body.cid, name: body.name, step: 0 });
      return send(202, statusOf(requestid));
    }
    const match = /^\/pins\/([^/]+)$/.exec(url.pathname);
    if (match !== null && pins.has(match[1]!)) {
      if (req.method === "DELETE") {
        pins.delete(match[1]!);
        return send(202);
      }
      pins.get(match[1]!)!.step++;
      return send(200, statusOf(match[1]!));
    }
    return send(404, { error: { reason: "NOT_FOUND" } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

describe("remote pinning through the Pinning Service API", () => {
  let directory: string;
  let server: Server | undefined;

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), "vermilion-remote-pins-"));
  });

  afterEach(async () => {
    if (server !== undefined) await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await rm(directory, { recursive: true, force: true });
  });

  test("tracks a pin from queued through pinning to pinned, and the record survives a restart", async () => {
    const fake = await startFakePinningService(["queued", "pinning", "pinned"]);
    server = fake.server;
    const client = createPinningServiceClient({ endpoint: fake.endpoint, accessToken: TOKEN });
    const tracker = await createRemotePinTracker({ client, directory });

    expect((await tracker.requestPin({ cid: CID_A, name: "edition:7:metadata" })).status).toBe("queued");
    expect((await tracker.refresh())[0]!.status).toBe("pinning");
    expect((await tracker.refresh())[0]!.status).toBe("pinned");

    const restarted = await createRemotePinTracker({ client, directory });
    expect(await restarted.statusOf(CID_A)).toMatchObject({ status: "pinned", name: "edition:7:metadata", requestId: "req-1" });
    await restarted.refresh();
    expect(fake.requests.filter((request) => request.startsWith("GET")).length).toBe(2);
  });

  test("does not ask twice for a CID already in flight, but retries one that failed", async () => {
    const fake = await startFakePinningService(["queued", "failed"]);
    server = fake.server;
    const tracker = await createRemotePinTracker({ client: createPinningServiceClient({ endpoint: fake.endpoint, accessToken: TOKEN }), directory });

    await tracker.requestPin({ cid: CID_A, name: "a" });
    await tracker.requestPin({ cid: CID_A, name: "a" });
    expect(fake.requests.filter((request) => request === "POST /pins").length).toBe(1);
    expect((await tracker.refresh())[0]!.status).toBe("failed");

    const retried = await tracker.requestPin({ cid: CID_A, name: "a" });

    expect(retried).toMatchObject({ status: "queued", requestId: "req-2" });
  });

  test("a refused token is PINNING_SERVICE_REJECTED (final), an unreachable service PINNING_SERVICE_UNAVAILABLE (retryable)", async () => {
    const fake = await startFakePinningService(["queued"]);
    server = fake.server;
    const wrongToken = createPinningServiceClient({ endpoint: fake.endpoint, accessToken: "nope" });
    const unreachable = createPinningServiceClient({ endpoint: "http://127.0.0.1:9", accessToken: TOKEN, timeoutMs: 2_000 });

    const refused = await wrongToken.addPin({ cid: CID_A, name: "a" }).catch((error: unknown) => error);
    const down = await unreachable.addPin({ cid: CID_A, name: "a" }).catch((error: unknown) => error);

    expect(isVermilionError(refused, "PINNING_SERVICE_REJECTED") && !refused.retryable).toBe(true);
    expect(isVermilionError(down, "PINNING_SERVICE_UNAVAILABLE") && down.retryable).toBe(true);
  });

  test("cancel withdraws the remote pin and forgets it", async () => {
    const fake = await startFakePinningService(["pinned"]);
    server = fake.server;
    const tracker = await createRemotePinTracker({ client: createPinningServiceClient({ endpoint: fake.endpoint, accessToken: TOKEN }), directory });
    await tracker.requestPin({ cid: CID_A, name: "a" });

    await tracker.cancel(CID_A);

    expect(fake.requests).toContain("DELETE /pins/req-1");
    expect(await tracker.list()).toEqual([]);
  });
});
