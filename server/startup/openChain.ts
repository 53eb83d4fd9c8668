import type { Logger } from "pino";
import type { ChainClients } from "../chain/createChainClients.js";
import type { StartAnvilReturnType } from "../chain/startAnvil.js";
import type { Config } from "../config/loadConfig.js";
import type { Queryable } from "../db/Database.js";
import type { ShutdownStack } from "./createShutdownStack.js";

import path from "node:path";

import { createChainClients } from "../chain/createChainClients.js";
import { resolveFeeMode } from "../chain/fees/resolveFeeMode.js";
import { startAnvil } from "../chain/startAnvil.js";
import { assertSignerAllowedOnChain } from "../config/loadConfig.js";
import { resolveSignerKey } from "./resolveSignerKey.js";

export interface OpenChainDeps {
  shutdown: Pick<ShutdownStack, "defer">;
  /** Keeps the hourly gas budget (GAS_BUDGET_PER_HOUR_ETH). */
  db: Queryable;
  logger: Pick<Logger, "info">;
}

export interface OpenChainParameters {
  config: Pick<Config, "rpcUrl" | "dataDir" | "signer" | "fees">;
  /** Port for the embedded Anvil when free; a free one otherwise. */
  anvilPort?: number;
  /** Told of every failed JSON-RPC call (the metrics count them). */
  onRequestError: (method: string, error: unknown) => void;
}

export interface OpenChainReturnType {
  chain: ChainClients;
  rpcUrl: string;
  chainId: number;
  /** Whether the chain is the embedded Anvil (persisted under DATA_DIR/chain) rather than RPC_URL. */
  embedded: boolean;
}

/**
 * The chain the platform writes to: the embedded Anvil when no RPC_URL is configured (stopped on
 * shutdown), with the signer resolved and refused on a public chain when it is a well-known dev key,
 * and the fee mode decided against the chain (FEE_MODE=auto) or refused where the chain contradicts it.
 */
export async function openChain(deps: OpenChainDeps, parameters: OpenChainParameters): Promise<OpenChainReturnType> {
  const { config, anvilPort } = parameters;
  let anvil: StartAnvilReturnType | undefined;
  if (!config.rpcUrl) {
    anvil = await startAnvil({
      stateFile: path.join(config.dataDir, "chain", "anvil-state.json"),
      ...(anvilPort !== undefined ? { port: anvilPort } : {}),
    });
    const started = anvil;
    deps.shutdown.defer(() => started.stop());
  }
  const rpcUrl = config.rpcUrl ?? anvil!.rpcUrl;
  const signerKey = await resolveSignerKey(config.signer);
  const probe = createChainClients({ rpcUrl, chainId: 0, signerPrivateKey: signerKey });
  const chainId = anvil?.chainId ?? (await probe.publicClient.getChainId());
  assertSignerAllowedOnChain(signerKey, chainId);
  const feePolicy = await resolveFeeMode(probe, config.fees);
  deps.logger.info(
    {
      feeMode: feePolicy.mode,
      configuredFeeMode: config.fees.mode,
      maxFeePerGasWei: feePolicy.maxFeePerGasWei?.toString() ?? null,
      maxPriorityFeePerGasWei: feePolicy.maxPriorityFeePerGasWei?.toString() ?? null,
      gasBudgetPerHourWei: feePolicy.budgetPerHourWei?.toString() ?? null,
    },
    "fee policy",
  );
  const chain = createChainClients({
    rpcUrl,
    chainId,
    signerPrivateKey: signerKey,
    onRequestError: parameters.onRequestError,
    fees: { policy: feePolicy, budget: { db: deps.db, chainId } },
  });
  return { chain, rpcUrl, chainId, embedded: anvil !== undefined };
}
