/**
 * Runs the indexer alone in this process until killed, for crash tests:
 *   node --import tsx test/support/runIndexerProcess.ts '<json parameters>'
 * Prints "checkpoint <block>" after every committed range.
 */
import { createPublicClient, http } from "viem";

import { createIndexer } from "../../server/indexer/createIndexer.js";
import { openPostgres } from "../../server/db/openPostgres.js";

const parameters = JSON.parse(process.argv[2] ?? "{}") as {
  rpcUrl: string;
  connectionString: string;
  schema: string;
  factoryAddress: `0x${string}`;
  fromBlock: string;
  maxBlockRange: number;
};

const db = await openPostgres({ connectionString: parameters.connectionString, schema: parameters.schema });
const indexer = createIndexer({
  db,
  publicClient: createPublicClient({ transport: http(parameters.rpcUrl) }),
  factoryAddress: parameters.factoryAddress,
  fromBlock: BigInt(parameters.fromBlock),
  maxBlockRange: parameters.maxBlockRange,
  pollIntervalMs: 50,
  logger: {
    info: (details) => {
      if (details.toBlock !== undefined) console.log(`checkpoint ${String(details.toBlock)}`);
    },
    warn: () => {},
    error: (details, message) => console.error(message, details),
  },
});
await indexer.start();
