/** One gas scenario: gas used by each contract's transaction (null where the contract has no such action). */
export interface GasScenarioResult {
  scenario: string;
  /** Tokens the transaction minted or moved, for per-token figures. */
  tokens: number;
  gasByContract: Record<string, number | null>;
}

/** What `npm run bench:gas` writes to bench/results/gas.json. */
export interface GasResults {
  generatedAt: string;
  command: string;
  compiler: string;
  chain: string;
  contracts: string[];
  scenarios: GasScenarioResult[];
  /** Gas to give an issuer a collection, by way of deployment. */
  deploymentGas: Record<string, number>;
}
