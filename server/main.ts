/**
 * `npm start`: the whole platform on one machine. Reads the environment (the only file that does),
 * starts or connects to each part (`startup/startServer.ts`), and serves the API on PORT (default 8080).
 *
 * Embedded defaults (nothing to configure): an Anvil chain persisted under DATA_DIR/chain, PGlite under
 * DATA_DIR/db. RPC_URL, DATABASE_URL, SIGNER_PRIVATE_KEY / SIGNER_KEYSTORE replace them.
 */
import type { Config } from "./config/loadConfig.js";
import type { EditionJobFaultPoint } from "./editions/runEditionJob.js";
import type { MintFaultPoint } from "./minting/createMintSender.js";
import type { RunningServer } from "./startup/startServer.js";

import { ConfigError, loadConfig } from "./config/loadConfig.js";
import { isVermilionError } from "./errors/VermilionError.js";
import { startServer } from "./startup/startServer.js";

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error("Vermilion cannot start: the configuration has problems.");
      for (const problem of error.problems) console.error(`  - ${problem.field} ${problem.message}`);
      process.exit(2);
    }
    throw error;
  }
  // Fault injection for the crash tests only; never set in normal use.
  const crashAt = process.env.VERMILION_TEST_CRASH_AT as MintFaultPoint | undefined;
  const editionJobCrashAt = process.env.VERMILION_TEST_EDITION_JOB_CRASH_AT as EditionJobFaultPoint | undefined;
  let running: RunningServer;
  try {
    running = await startServer(config, {
      demo: process.argv.includes("--demo"),
      anvilPort: 8545,
      ...(crashAt ? { crashAtMintFaultPoint: crashAt } : {}),
      ...(editionJobCrashAt ? { crashAtEditionJobFaultPoint: editionJobCrashAt } : {}),
    });
  } catch (error) {
    if (isVermilionError(error)) {
      console.error(`Vermilion cannot start: ${error.code}: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  console.log(`Vermilion is running at ${running.url}`);
  console.log(`  chain ${running.chainId} at ${running.rpcUrl}; factory ${running.factoryAddress}`);
  console.log(`  data in ${config.dataDir}`);
  if (running.firstAdminApiKey) {
    console.log(`  admin API key (shown once, stored hashed): ${running.firstAdminApiKey}`);
  }
  if (running.demo) {
    console.log(`  demo collection ${running.demo.collection}: ${running.url}/api/collections/${running.demo.collection}/editions`);
    if (running.demo.issuerApiKey) console.log(`  demo issuer API key (shown once): ${running.demo.issuerApiKey}`);
  }
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGINT", () => shutdown("SIGINT"));
  process.on("SIGTERM", () => shutdown("SIGTERM"));
}

if (import.meta.filename === process.argv[1]) await main();
