/**
 * Deploys the collection implementation and the factory with Ignition to the network given by
 * `--network` (default: Hardhat's in-process chain), and prints their addresses.
 *
 *   npm run deploy                                  # in-process chain (a dry run)
 *   npm run deploy -- --network localhost           # a local Anvil on 127.0.0.1:8545
 *   VERMILION_RPC_URL=… VERMILION_DEPLOYER_KEY=… npm run deploy -- --network custom
 *
 * The build of the contracts is CONTRACTS_EVM_VERSION's, as for `npm start`: a published build's name,
 * or `auto` (the default), the newest build the chain can run (prague, or istanbul before Shanghai/Cancun).
 *
 * Ignition journals every step under ignition/deployments/, so an interrupted deployment resumes
 * where it stopped when the same command runs again.
 */
import type { PublicClient } from "viem";

import { network } from "hardhat";

import vermilionFactoryModule, { olderEvmFactoryModule } from "../ignition/modules/VermilionFactory.js";
import { loadConfig } from "../server/config/loadConfig.js";
import { chooseContractBuild } from "../server/deployment/chooseContractBuild.js";

// The same validation, and the same choice, as the platform's start.
const { contractsBuild } = loadConfig({ CONTRACTS_EVM_VERSION: process.env.CONTRACTS_EVM_VERSION });
const connection = await network.create();
const publicClient = await connection.viem.getPublicClient();
const chainId = await publicClient.getChainId();
const { build, chosenBy } = await chooseContractBuild(publicClient as unknown as PublicClient, { configured: contractsBuild });
console.log(`deploying the ${build} build (${chosenBy}) to network "${connection.networkName}" (chain id ${chainId})`);

// Two calls, not one over a union: the prague module's futures are Hardhat-artifact ones, the others' carry their artifact.
const { implementation, factory } =
  build === "prague"
    ? await connection.ignition.deploy(vermilionFactoryModule, { displayUi: true })
    : await connection.ignition.deploy(olderEvmFactoryModule(build), { displayUi: true });
console.log(`VermilionCollection implementation: ${implementation.address}`);
console.log(`VermilionFactory:                   ${factory.address}`);
