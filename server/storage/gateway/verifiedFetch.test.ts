import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CID } from "multiformats/cid";
import type { ContentStore } from "../contentStore.js";
import type { GatewayStore } from "./blockReader.js";

import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { withHTTP } from "@helia/http";
import { createVerifiedFetchWithHelia, type VerifiedFetch } from "@helia/verified-fetch";
import express from "express";
import { createHeliaLight } from "helia";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { createEmbeddedStore } from "../embedded/createEmbeddedStore.js";
import { createErrorHandler } from "../../http/errorResponse.js";
import { createGatewayRouter } from "./gatewayRouter.js";

async function startGateway(store: GatewayStore): Promise<{ server: Server; baseUrl: string }> {
  const app = express();
  app.use(createGatewayRouter({ store }));
  app.use(createErrorHandler(() => undefined));
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function stopGateway(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/**
 * verified-fetch over a Helia with no libp2p, no delegated routers and no public gateways: the only
 * place it can get blocks is our gateway on loopback, as a trustless gateway whose bytes it verifies.
 *
 * The no-op router is needed: helia 7's findProviders waits forever for "all non-fallback routers
 * finished" when there are none, so a gateway configured only as a fallback router is never asked.
 */
async function verifiedFetchAgainst(baseUrl: string): Promise<VerifiedFetch> {
  const helia = withHTTP(createHeliaLight(), {
    delegatedRouters: [],
    recursiveGateways: [baseUrl],
    allowInsecure: true,
    allowLocal: true,
  });
  helia.addRouter({ name: "no-op", findProviders: async function* () {} });
  await helia.start();
  return createVerifiedFetchWithHelia(helia);
}

describe("an independent client verifies what the gateway serves", () => {
  let dataDir: string;
  let store: ContentStore;
  const media = randomBytes(600_000);
  let mediaCid: CID;
  let directoryCid: CID;
  const started: Array<{ server: Server; fetcher?: VerifiedFetch }> = [];

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "vermilion-verified-"));
    store = await createEmbeddedStore({ dataDir });
    mediaCid = (await store.addFile({ content: media })).cid;
    directoryCid = (await store.addDirectory({ entries: [{ path: "1.json", content: Buffer.from('{"name":"Red Dawn #1"}') }] })).cid;
  });

  afterEach(async () => {
    for (const { server, fetcher } of started.splice(0)) {
      await fetcher?.stop();
      await stopGateway(server);
    }
  });

  afterAll(async () => {
    await store.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  test("@helia/verified-fetch gets verified media bytes and metadata by path from our gateway", async () => {
    const { server, baseUrl } = await startGateway(store);
    const fetcher = await verifiedFetchAgainst(baseUrl);
    started.push({ server, fetcher });

    const mediaResponse = await fetcher(`ipfs://${mediaCid.toString()}`);
    const metadataResponse = await fetcher(`ipfs://${directoryCid.toString()}/1.json`);

    expect(mediaResponse.status).toBe(200);
    expect(Buffer.compare(new Uint8Array(await mediaResponse.arrayBuffer()), media)).toBe(0);
    expect(await metadataResponse.json()).toEqual({ name: "Red Dawn #1" });
  });

  test("a gateway that flips one bit of a block is caught: the client never yields the forged bytes", async () => {
    const victim = (await import("@ipld/dag-pb")).decode(await store.getBlock(mediaCid)).Links[1]!.Hash;
    let forgedServed = 0;
    const lying: GatewayStore = {
      has: (cid) => store.has(cid),
      async getBlock(cid) {
        const bytes = Uint8Array.from(await store.getBlock(cid));
        if (cid.equals(victim)) {
          bytes[1234]! ^= 0x01;
          forgedServed++;
        }
        return bytes;
      },
    };
    const { server, baseUrl } = await startGateway(lying);
    const fetcher = await verifiedFetchAgainst(baseUrl);
    started.push({ server, fetcher });

    // The client rejects the block and, having no other provider, gives up when the signal fires.
    const outcome = await fetcher(`ipfs://${mediaCid.toString()}`, { signal: AbortSignal.timeout(4_000) })
      .then(async (response) => (response.ok ? { ok: true, bytes: new Uint8Array(await response.arrayBuffer()) } : { ok: false, status: response.status }))
      .catch((error: unknown) => ({ ok: false, error: String(error) }));

    expect(forgedServed).toBeGreaterThan(0);
    expect(outcome.ok).toBe(false);
  });
});
