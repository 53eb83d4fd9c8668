import type { ChainLatency } from "./measureMintLatency.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { startAnvil } from "../../server/chain/startAnvil.js";
import { loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "../../test/support/httpClient.js";
import { createIssuerWithCollection } from "../../test/support/platformFixture.js";
import { RAISED_RATE_LIMITS } from "../support/raisedRateLimits.js";
import { createBenchEdition } from "./createBenchEdition.js";
import { measureMintLatency } from "./measureMintLatency.js";

export interface RunMintLatencyParameters {
  /** 0: the embedded Anvil (automine); otherwise an Anvil started with `--block-time`. */
  blockTimeSeconds: number;
  sequential: number;
  inFlight: number;
  inFlightTotal: number;
  log: (message: string) => void;
}

/**
 * A fresh platform on its embedded defaults (PGlite, embedded IPFS), on the embedded Anvil or on an
 * Anvil that mines every `blockTimeSeconds` (reached through RPC_URL, with CONFIRMATIONS=0 as on the
 * embedded chain), and the single-mint latency measured on it.
 */
export async function runMintLatency(parameters: RunMintLatencyParameters): Promise<ChainLatency> {
  const { blockTimeSeconds, log } = parameters;
  const label = blockTimeSeconds === 0 ? "instant" : `${blockTimeSeconds}s`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `vermilion-bench-latency-${label}-`));
  const anvil = blockTimeSeconds > 0 ? await startAnvil({ extraArgs: ["--block-time", String(blockTimeSeconds)] }) : undefined;
  try {
    const server = await startServer(
      loadConfig({
        ...RAISED_RATE_LIMITS,
        DATA_DIR: dataDir,
        PORT: "0",
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? "silent",
        ...(anvil ? { RPC_URL: anvil.rpcUrl, CONFIRMATIONS: "0" } : {}),
      }),
    );
    try {
      const call = createApiClient(server.url);
      const issuer = await createIssuerWithCollection(call, server.firstAdminApiKey!, `Latency Issuer ${label}`);
      const createEdition = async (maxSupply: number, name: string): Promise<bigint> =>
        (await createBenchEdition({ serverUrl: server.url, call, issuer, maxSupply, name })).editionId;
      return await measureMintLatency({
        serverUrl: server.url,
        rpcUrl: server.rpcUrl,
        call,
        issuer,
        createEdition,
        blockTimeSeconds,
        sequential: parameters.sequential,
        inFlight: parameters.inFlight,
        inFlightTotal: parameters.inFlightTotal,
        label,
        log,
      });
    } finally {
      await server.stop();
    }
  } finally {
    await anvil?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
