import type { Logger } from "pino";
import type { ContractBuildName } from "../chain/abis/contractBuilds.js";
import type { FactoryDeployment } from "./ensureFactoryDeployed.js";

/**
 * One start-up line naming the build of the contracts this deployment runs and why; a warning when the
 * found factory is none of the published builds, or is another build than CONTRACTS_EVM_VERSION names
 * (a deployment keeps the build it was deployed with: the setting applies to new deployments only).
 */
export function logContractsBuild(logger: Logger, configured: ContractBuildName | "auto", deployment: FactoryDeployment): void {
  const fields = { factory: deployment.factoryAddress, build: deployment.build, chosenBy: deployment.buildChosenBy, configured };
  if (deployment.build === null) {
    logger.warn(fields, "the factory's code is none of the published builds: the verifier will not recognise its collections");
  } else if (deployment.buildChosenBy === "existing" && configured !== "auto" && configured !== deployment.build) {
    logger.warn(fields, `the factory was deployed from the ${deployment.build} build and keeps it; CONTRACTS_EVM_VERSION=${configured} applies to new deployments only`);
  } else {
    logger.info(fields, `contracts: ${deployment.build} build (${deployment.buildChosenBy})`);
  }
}
