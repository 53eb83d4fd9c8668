import type { Logger } from "pino";
import type { Config } from "../config/loadConfig.js";
import type { Database } from "../db/Database.js";
import type { ShutdownStack } from "./createShutdownStack.js";

import path from "node:path";

import { migrate } from "../db/migrate.js";
import { openPglite } from "../db/openPglite.js";
import { openPostgres } from "../db/openPostgres.js";

export interface OpenDatabaseDeps {
  logger: Logger;
  shutdown: Pick<ShutdownStack, "defer">;
}

export interface OpenDatabaseParameters {
  config: Pick<Config, "databaseUrl" | "dataDir">;
}

/** PostgreSQL at DATABASE_URL, or the embedded PGlite under DATA_DIR/db; migrated, closed on shutdown. */
export async function openDatabase(deps: OpenDatabaseDeps, parameters: OpenDatabaseParameters): Promise<Database> {
  const { config } = parameters;
  const db: Database = config.databaseUrl
    ? await openPostgres({ connectionString: config.databaseUrl })
    : await openPglite({ dataDir: path.join(config.dataDir, "db"), logger: deps.logger });
  deps.shutdown.defer(() => db.close());
  await migrate(db);
  return db;
}
