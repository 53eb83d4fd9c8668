import { createRequire } from "node:module";

import hardhatIgnitionViem from "@nomicfoundation/hardhat-ignition-viem";
import hardhatKeystore from "@nomicfoundation/hardhat-keystore";
import hardhatNetworkHelpers from "@nomicfoundation/hardhat-network-helpers";
import hardhatViem from "@nomicfoundation/hardhat-viem";
import { configVariable, defineConfig } from "hardhat/config";
import { parseGwei } from "viem";

// Hardhat cannot download compilers on this network: use the WASM build shipped by the npm
// package `solc`, pinned to exactly the version we deploy. The path must be absolute.
const solcWasmPath = createRequire(import.meta.url).resolve("solc/soljson.js");

const solidityBuild = {
  version: "0.8.30",
  path: solcWasmPath,
  settings: {
    optimizer: { enabled: true, runs: 1_000_000 },
    viaIR: false,
    evmVersion: "prague",
  },
};

/**
 * The platform's fee caps (MAX_FEE_PER_GAS_GWEI, MAX_PRIORITY_FEE_PER_GAS_GWEI; docs/minting.md "Fees")
 * for `npm run deploy`: Ignition refuses to send above the max fee and offers no more priority fee than
 * the cap. Ignition chooses the transaction type itself (EIP-1559 where blocks have a base fee, zero fees
 * where it is 0, else legacy); it has no hourly budget.
 */
function ignitionFeeCaps(env: NodeJS.ProcessEnv): { maxFeePerGasLimit?: bigint; maxPriorityFeePerGas?: bigint } {
  return {
    ...(env.MAX_FEE_PER_GAS_GWEI ? { maxFeePerGasLimit: parseGwei(env.MAX_FEE_PER_GAS_GWEI) } : {}),
    ...(env.MAX_PRIORITY_FEE_PER_GAS_GWEI ? { maxPriorityFeePerGas: parseGwei(env.MAX_PRIORITY_FEE_PER_GAS_GWEI) } : {}),
  };
}

export default defineConfig({
  plugins: [hardhatViem, hardhatIgnitionViem, hardhatNetworkHelpers, hardhatKeystore],
  paths: {
    sources: "contracts",
    tests: { solidity: "contracts" },
  },
  // One build for every profile: Hardhat's own `production` profile (which `ignition deploy` uses) would
  // otherwise compile with 200 optimizer runs and the default EVM, deploying bytecode that neither the
  // tests nor the verifier's code fingerprints have seen.
  solidity: {
    profiles: {
      default: solidityBuild,
      production: solidityBuild,
    },
  },
  test: {
    solidity: {
      fuzz: { runs: 256, seed: "0x7665726d696c696f6e" },
      invariant: { runs: 64, depth: 32, failOnRevert: false },
    },
  },
  networks: {
    // The in-process EDR chain used by the TypeScript tests and the gas benchmark.
    hardhat: { type: "edr-simulated", chainType: "l1", chainId: 31337 },
    // A local Anvil (npm start runs one) or any JSON-RPC endpoint given by configuration variables.
    localhost: { type: "http", chainType: "l1", url: "http://127.0.0.1:8545" },
    custom: {
      type: "http",
      chainType: "l1",
      url: configVariable("VERMILION_RPC_URL"),
      accounts: [configVariable("VERMILION_DEPLOYER_KEY")],
      ignition: ignitionFeeCaps(process.env),
    },
  },
});
