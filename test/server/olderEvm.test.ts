import type { Address } from "viem";
import type { StartAnvilReturnType } from "../support/startAnvil.js";
import type { SpawnedServer } from "../support/spawnServer.js";

import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { createPublicClient, createWalletClient, http } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { contractBuilds } from "../../server/chain/abis/contractBuilds.js";
import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { probeContractBuilds } from "../../server/deployment/chooseContractBuild.js";
import { samplePng } from "../storage/mediaSamples.js";
import { createApiClient } from "../support/httpClient.js";
import { seedMigratedPglite } from "../support/pgliteTemplate.js";
import { createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";
import { runVerifyCli } from "../support/runVerifyCli.js";
import { spawnServer } from "../support/spawnServer.js";
import { startAnvil } from "../support/startAnvil.js";

/**
 * Chains older than Shanghai, as Anvil's `--hardfork` makes them: London (no PUSH0, EIP-1559 fees) and
 * Istanbul, the oldest EVM supported (no base fee either: every transaction the platform sends is legacy,
 * FEE_MODE=auto detecting it from the latest block). Paris and Berlin run the same build with the same fee
 * kind as one of these, so they add time and no coverage. A `pending` row waits for a missing feature.
 */
const OLDER_CHAINS: ReadonlyArray<{ hardfork: string; pending?: string }> = [{ hardfork: "london" }, { hardfork: "istanbul" }];

const collector = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[1]!);

/** Each test starts the platform as its own process once or twice (tsx, migrations, deployment): slow on shared cores. */
const SERVER_TEST_TIMEOUT_MS = 240_000;

/** `npm start` against `rpcUrl` in `dataDir` (its database seeded migrated, as after a first start). */
async function startPlatform(rpcUrl: string, dataDir: string, env: Record<string, string> = {}): Promise<SpawnedServer> {
  return spawnServer({ RPC_URL: rpcUrl, DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "info", ...env });
}

async function stopPlatform(server: SpawnedServer): Promise<void> {
  server.child.kill("SIGTERM");
  await server.exited;
}

/** The first match of `pattern` in the server's output, waiting for the lines main.ts prints after its URL. */
async function outputMatch(server: SpawnedServer, pattern: RegExp): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const match = server.output().match(pattern);
    if (match) return match[1]!;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${pattern} not in the output:\n${server.output()}`);
}

async function factoryOf(server: SpawnedServer): Promise<Address> {
  return (await outputMatch(server, /factory (0x[0-9a-fA-F]{40})/)) as Address;
}

/** The start-up log line logContractsBuild wrote. */
function contractsLogLine(server: SpawnedServer): Record<string, unknown> {
  const line = server
    .output()
    .split("\n")
    .find((text) => text.startsWith("{") && text.includes('"chosenBy"'));
  if (!line) throw new Error(`no contracts build line in the start-up output:\n${server.output()}`);
  return JSON.parse(line) as Record<string, unknown>;
}

describe.each(OLDER_CHAINS)("an Anvil started with --hardfork $hardfork", ({ hardfork, pending }) => {
  let anvil: StartAnvilReturnType;
  const dataDirs: string[] = [];

  async function freshDataDir(): Promise<string> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), `vermilion-${hardfork}-`));
    dataDirs.push(dataDir);
    await seedMigratedPglite(path.join(dataDir, "db"));
    return dataDir;
  }

  beforeAll(async () => {
    if (pending) return;
    anvil = await startAnvil({ args: ["--hardfork", hardfork] });
  });
  afterAll(async () => {
    await anvil?.stop();
    for (const dataDir of dataDirs) await rm(dataDir, { recursive: true, force: true });
  });

  test.skipIf(pending !== undefined)("cannot run the prague build: its deployment fails, and the platform refuses CONTRACTS_EVM_VERSION=prague", { timeout: SERVER_TEST_TIMEOUT_MS }, async () => {
    const publicClient = createPublicClient({ chain: foundry, transport: http(anvil.rpcUrl) });
    expect(await probeContractBuilds(publicClient as never)).toEqual({ prague: false, istanbul: true });
    // Deployed by hand, the prague code stops at its first PUSH0: no contract comes of it.
    const wallet = createWalletClient({ account: privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[0]!), chain: foundry, transport: http(anvil.rpcUrl) });
    const deployment = wallet
      .deployContract({ abi: vermilionCollectionAbi, bytecode: contractBuilds.prague.VermilionCollection.bytecode, gas: 10_000_000n })
      .then((hash) => publicClient.waitForTransactionReceipt({ hash }));
    const outcome = await deployment.then(
      (receipt) => ({ status: receipt.status, code: receipt.contractAddress ? "checked below" : null, address: receipt.contractAddress }),
      (error: Error) => ({ status: "rejected", code: null, address: null, error: error.message }),
    );
    if (outcome.address) expect(await publicClient.getCode({ address: outcome.address })).toBeUndefined();
    expect(outcome.status).not.toBe("success");

    const refused = await startPlatform(anvil.rpcUrl, await freshDataDir(), { CONTRACTS_EVM_VERSION: "prague" }).then(
      () => null,
      (error: Error) => error.message,
    );
    expect(refused).toMatch(/CONTRACTS_EVM_VERSION/);
    expect(refused).toMatch(/cannot run the prague build/);
  });

  test.skipIf(pending !== undefined)("npm start deploys the istanbul build by itself, mints, and the verifier CLI passes naming that build; a restart keeps it", { timeout: SERVER_TEST_TIMEOUT_MS }, async () => {
    const dataDir = await freshDataDir();
    let server = await startPlatform(anvil.rpcUrl, dataDir);
    try {
      expect(contractsLogLine(server)).toMatchObject({ build: "istanbul", chosenBy: "detected", configured: "auto" });
      const adminKey = await outputMatch(server, /admin API key \(shown once, stored hashed\): (\S+)/);
      const call = createApiClient(server.url);
      const issuer = await createIssuerWithCollection(call, adminKey);
      const form = new FormData();
      for (const [name, value] of Object.entries({ name: `On ${hardfork}`, maxSupply: "2", license: "CC0-1.0" })) form.append(name, value);
      form.append("media", new Blob([new Uint8Array(samplePng(12, 12))]), "seal.png");
      const created = await fetch(`${server.url}/api/collections/${issuer.collection}/editions`, { method: "POST", headers: { authorization: `Bearer ${issuer.apiKey}` }, body: form });
      expect(created.status, await created.clone().text()).toBe(201);
      const accepted = await call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/1/mint`, {
        key: issuer.apiKey,
        headers: { "idempotency-key": `older-evm-${hardfork}` },
        body: { to: collector.address, quantity: 2 },
      });
      expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
      const job = await waitForJob<{ state: string }>(call, issuer.apiKey, accepted.body.jobId);
      expect(job.state, JSON.stringify(job)).toBe("completed");

      const factory = await factoryOf(server);
      const verified = await runVerifyCli(["--rpc", anvil.rpcUrl, "--factory", factory, "--contract", issuer.collection, "--token", "1000002", "--gateway", server.url]);
      expect(verified.code, verified.stdout + verified.stderr).toBe(0);
      const report = JSON.parse(verified.stdout) as { verdict: string; checks: Array<{ name: string; status: string; evidence: Record<string, unknown> }> };
      expect(report.verdict).toBe("pass");
      expect(report.checks[0]).toMatchObject({ name: "contract.identity", status: "pass", evidence: { build: "istanbul", evmVersion: "istanbul" } });

      // The deployment keeps the build it was deployed with, whatever the setting says later.
      await stopPlatform(server);
      server = await startPlatform(anvil.rpcUrl, dataDir, { CONTRACTS_EVM_VERSION: "prague" });
      expect(await factoryOf(server)).toBe(factory);
      expect(contractsLogLine(server)).toMatchObject({ build: "istanbul", chosenBy: "existing", configured: "prague" });
    } finally {
      await stopPlatform(server);
    }
  });
});
