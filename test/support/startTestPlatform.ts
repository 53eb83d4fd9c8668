import type { RunningServer, StartServerOptions } from "../../server/startup/startServer.js";
import type { ApiClient } from "./httpClient.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { loadConfig } from "../../server/config/loadConfig.js";
import { startServer } from "../../server/startup/startServer.js";
import { createApiClient } from "./httpClient.js";
import { seedMigratedPglite } from "./pgliteTemplate.js";

export interface TestPlatform {
  server: RunningServer;
  call: ApiClient;
  dataDir: string;
  /** Stops the server and removes its data directory. */
  stop: () => Promise<void>;
}

/**
 * The whole platform on embedded defaults in a fresh data directory, on an ephemeral port, as the API
 * tests use it. `env` adds configuration variables.
 */
export async function startTestPlatform(
  label: string,
  env: Record<string, string> = {},
  options: StartServerOptions = {},
): Promise<TestPlatform> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `vermilion-${label}-`));
  try {
    // The embedded database starts migrated, as after a first start, sparing each test its initdb.
    if (!env.DATABASE_URL) await seedMigratedPglite(path.join(dataDir, "db"));
    const server = await startServer(loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent", ...env }), options);
    return {
      server,
      call: createApiClient(server.url),
      dataDir,
      stop: async () => {
        await server.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}
