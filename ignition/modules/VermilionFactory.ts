import type { ContractBuildName } from "../../server/chain/abis/contractBuilds.js";

import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { vermilionFactoryAbi } from "../../server/chain/abis/VermilionFactory.js";
import { contractBuilds } from "../../server/chain/abis/contractBuilds.js";

/**
 * The collection implementation and the factory that clones it for each issuer: the prague build, from
 * Hardhat's artifacts (olderEvmFactoryModule for another build). Parameters: `admin` (default: the
 * deploying account) holds the factory's admin and deployer roles.
 */
const vermilionFactoryModule = buildModule("VermilionFactory", (m) => {
  const admin = m.getParameter("admin", m.getAccount(0));
  const implementation = m.contract("VermilionCollection");
  const factory = m.contract("VermilionFactory", [implementation, admin]);
  return { implementation, factory };
});

/** An Ignition artifact of one contract of a published build other than Hardhat's own (prague) artifacts. */
function artifactOf<Abi extends readonly unknown[]>(contractName: "VermilionCollection" | "VermilionFactory", abi: Abi, build: ContractBuildName) {
  const code = contractBuilds[build][contractName];
  return {
    _format: "hh3-artifact-1",
    contractName,
    sourceName: `contracts/${contractName}.sol`,
    abi,
    bytecode: code.bytecode,
    deployedBytecode: code.deployedBytecode,
    linkReferences: {},
    deployedLinkReferences: {},
  } as const;
}

/**
 * The collection implementation and the factory that clones it for each issuer, from an older EVM's
 * published build of the contracts (docs/verification.md#published-builds), as the default module does from prague's. Its id is
 * `VermilionFactory_<build>`: the prague module keeps `VermilionFactory`, so its journaled deployments resume.
 */
export function olderEvmFactoryModule(build: Exclude<ContractBuildName, "prague">) {
  return buildModule(`VermilionFactory_${build}`, (m) => {
    const admin = m.getParameter("admin", m.getAccount(0));
    const implementation = m.contract("VermilionCollection", artifactOf("VermilionCollection", vermilionCollectionAbi, build));
    const factory = m.contract("VermilionFactory", artifactOf("VermilionFactory", vermilionFactoryAbi, build), [implementation, admin]);
    return { implementation, factory };
  });
}

export default vermilionFactoryModule;
