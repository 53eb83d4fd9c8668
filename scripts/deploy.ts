/**
 * Deploys the collection implementation and the factory with Ignition to the network given by
 * `--network` (default: Hardhat's in-process chain), and prints their addresses.
 *
 *   npm run deploy                                  # in-process chain (a dry run)
 *   npm run deploy -- --network localhost           # a local Anvil on 127.0.0.1:8545
 *   VERMILION_RPC_URL=… VERMILION_DEPLOYER_KEY=… npm run deploy -- --network custom
 *
 * Ignition journals every step under ignition/deployments/, so an interrupted deployment resumes
 * where it stopped when the same command runs again.
 */
import { network } from "hardhat";

import vermilionFactoryModule from "../ignition/modules/VermilionFactory.js";

const connection = await network.create();
const publicClient = await connection.viem.getPublicClient();
const chainId = await publicClient.getChainId();
console.log(`deploying to network "${connection.networkName}" (chain id ${chainId})`);

const { implementation, factory } = await connection.ignition.deploy(vermilionFactoryModule, {
  displayUi: true,
});
console.log(`VermilionCollection implementation: ${implementation.address}`);
console.log(`VermilionFactory:                   ${factory.address}`);
