import type { Address, Hex } from "viem";
import type { Database } from "../db/Database.js";
import type { ChainClients } from "../chain/createChainClients.js";
import type { ContractBuildName } from "../chain/abis/contractBuilds.js";

import { identifyFactoryBuild } from "vermilion-verify/checkContractIdentity.js";

import { VermilionError } from "../errors/VermilionError.js";
import { vermilionCollectionAbi } from "../chain/abis/VermilionCollection.js";
import { vermilionFactoryAbi } from "../chain/abis/VermilionFactory.js";
import { contractBuilds } from "../chain/abis/contractBuilds.js";
import { chooseContractBuild } from "./chooseContractBuild.js";
import { LOCAL_CHAIN_IDS } from "../config/loadConfig.js";
import { findDeploymentBlock } from "./findDeploymentBlock.js";
import { toStoredAddress } from "../chain/toStoredAddress.js";
import { payFeesForDeployment } from "../chain/fees/payFees.js";

export interface FactoryDeployment {
  /** Lowercase, as every stored address. */
  factoryAddress: Address;
  implementationAddress: Address;
  /** Block the factory was deployed in: where indexing starts. */
  blockNumber: bigint;
  /** Whether this call deployed it (first run) rather than finding it. */
  deployedNow: boolean;
  /** The published build of the contracts the factory's code is (identified by its fingerprint); null: none of ours. */
  build: string | null;
  /** How the build was settled: CONTRACTS_EVM_VERSION, detected from the chain, or the one the found factory already is. */
  buildChosenBy: "configured" | "detected" | "existing";
}

export interface EnsureFactoryDeployedParameters {
  db: Database;
  chain: ChainClients;
  /** A factory deployed elsewhere (e.g. with `npm run deploy`) to adopt instead of deploying one. */
  factoryAddress?: Address;
  /** CONTRACTS_EVM_VERSION: the build a factory deployed now is made from; default "auto", the newest the chain runs. */
  contractsBuild?: ContractBuildName | "auto";
}

interface DeploymentRow {
  contract_name: string;
  address: string;
  block_number: bigint | null;
}

async function hasCode(chain: ChainClients, address: Address): Promise<boolean> {
  const code = await chain.publicClient.getCode({ address });
  return code !== undefined && code !== "0x";
}

/** The published build a found factory was deployed from: it keeps it, whatever CONTRACTS_EVM_VERSION says now. */
async function buildOf(chain: ChainClients, factoryAddress: Address): Promise<string | null> {
  const code = await chain.publicClient.getCode({ address: factoryAddress });
  return code === undefined ? null : (identifyFactoryBuild(code)?.name ?? null);
}

async function deploy(chain: ChainClients, abi: readonly unknown[], bytecode: Hex, args: readonly unknown[]) {
  const fees = await payFeesForDeployment({ chain }, { account: chain.walletClient.account, abi, bytecode, args });
  const hash = await chain.walletClient.deployContract({ abi, bytecode, args, ...fees } as never);
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new VermilionError("CHAIN_UNAVAILABLE", {}, { cause: new Error(`deployment ${hash} failed`) });
  }
  return { address: toStoredAddress(receipt.contractAddress), hash, blockNumber: receipt.blockNumber };
}

/**
 * Finds the platform's factory on this chain, or deploys it on a local chain the first time, and
 * remembers it in the database. A remembered factory whose code is gone (a local chain reset) is
 * deployed again on local chains and refused elsewhere. A factory deployed now is made from the build
 * CONTRACTS_EVM_VERSION names, or the newest the chain can run (chooseContractBuild).
 */
export async function ensureFactoryDeployed(parameters: EnsureFactoryDeployedParameters): Promise<FactoryDeployment> {
  const { db, chain } = parameters;
  const chainId = BigInt(chain.chainId);

  if (parameters.factoryAddress) {
    if (!(await hasCode(chain, parameters.factoryAddress))) {
      throw new VermilionError("CONFIG_INVALID", {
        field: "FACTORY_ADDRESS",
        reason: `no contract at ${parameters.factoryAddress} on chain ${chain.chainId}`,
      });
    }
    const factoryAddress = toStoredAddress(parameters.factoryAddress);
    const implementationAddress = toStoredAddress(
      await chain.publicClient.readContract({ address: factoryAddress, abi: vermilionFactoryAbi, functionName: "implementation" }),
    );
    // The deployment block is looked up once and remembered: indexing starts there, not at block 0.
    const { rows: remembered } = await db.query<DeploymentRow>(
      "SELECT contract_name, address, block_number FROM deployments WHERE chain_id = $1 AND contract_name = 'VermilionFactory' AND address = $2",
      [chainId, factoryAddress],
    );
    let blockNumber = remembered[0]?.block_number ?? null;
    if (blockNumber === null) {
      ({ blockNumber } = await findDeploymentBlock(chain.publicClient, { address: factoryAddress }));
      await db.transaction(async (tx) => {
        await tx.query("DELETE FROM deployments WHERE chain_id = $1", [chainId]);
        await tx.query("INSERT INTO deployments (chain_id, contract_name, address) VALUES ($1, $2, $3)", [
          chainId,
          "VermilionCollection",
          implementationAddress,
        ]);
        await tx.query("INSERT INTO deployments (chain_id, contract_name, address, block_number) VALUES ($1, $2, $3, $4)", [
          chainId,
          "VermilionFactory",
          factoryAddress,
          blockNumber,
        ]);
      });
    }
    return { factoryAddress, implementationAddress, blockNumber, deployedNow: false, build: await buildOf(chain, factoryAddress), buildChosenBy: "existing" };
  }

  const { rows } = await db.query<DeploymentRow>(
    "SELECT contract_name, address, block_number FROM deployments WHERE chain_id = $1",
    [chainId],
  );
  const factoryRow = rows.find((row) => row.contract_name === "VermilionFactory");
  const implementationRow = rows.find((row) => row.contract_name === "VermilionCollection");
  if (factoryRow && implementationRow && (await hasCode(chain, factoryRow.address as Address))) {
    return {
      factoryAddress: factoryRow.address as Address,
      implementationAddress: implementationRow.address as Address,
      blockNumber: factoryRow.block_number ?? 0n,
      deployedNow: false,
      build: await buildOf(chain, factoryRow.address as Address),
      buildChosenBy: "existing",
    };
  }
  if (!LOCAL_CHAIN_IDS.has(chain.chainId)) {
    throw new VermilionError("CONFIG_INVALID", {
      field: "FACTORY_ADDRESS",
      reason: `no Vermilion factory known on chain ${chain.chainId}: deploy one with \`npm run deploy -- --network custom\` and set FACTORY_ADDRESS`,
    });
  }

  const { build, chosenBy } = await chooseContractBuild(chain.publicClient, { configured: parameters.contractsBuild ?? "auto" });
  const code = contractBuilds[build];
  const implementation = await deploy(chain, vermilionCollectionAbi, code.VermilionCollection.bytecode, []);
  const factory = await deploy(chain, vermilionFactoryAbi, code.VermilionFactory.bytecode, [
    implementation.address,
    chain.walletClient.account.address,
  ]);
  await db.transaction(async (tx) => {
    await tx.query("DELETE FROM deployments WHERE chain_id = $1", [chainId]);
    for (const [name, deployed] of [
      ["VermilionCollection", implementation],
      ["VermilionFactory", factory],
    ] as const) {
      await tx.query(
        "INSERT INTO deployments (chain_id, contract_name, address, tx_hash, block_number) VALUES ($1, $2, $3, $4, $5)",
        [chainId, name, deployed.address, deployed.hash, deployed.blockNumber],
      );
    }
  });
  return {
    factoryAddress: factory.address,
    implementationAddress: implementation.address,
    blockNumber: factory.blockNumber,
    deployedNow: true,
    build,
    buildChosenBy: chosenBy,
  };
}
