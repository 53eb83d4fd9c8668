/** One gas scenario: gas used by each contract's transaction (null where the contract has no such action). */
export interface GasScenarioResult {
  scenario: string;
  /** Tokens the transaction minted or moved, for per-token figures (0: it moves none, e.g. a cancellation). */
  tokens: number;
  gasByContract: Record<string, number | null>;
}

/** The column of a collection with issuer accounts: admin = the issuer's address, issuing role = its operating key. */
export const ISSUER_ACCOUNTS = "Vermilion (issuer accounts)";

/** The older EVM's published build (no PUSH0, no MCOPY), measured as a clone beside today's prague clone. */
export const OLDER_EVM_BUILD = "istanbul";
/** Its column in `gasByContract` (left out of `contracts`, the main tables' columns). */
export const OLDER_EVM_CLONE = `Vermilion ${OLDER_EVM_BUILD} build (EIP-1167 clone)`;

/** Issuer accounts' own figures (issue 18): edition creation, a non-primary issuing key, and the funding key's top-ups. */
export interface IssuerAccountsGas {
  /** createEdition, by collection column. */
  createEditionGas: Record<string, number>;
  /** mint 1 by an issuing key the admin granted later (not the primary issuer): it pays the role lookup. */
  mintBySecondIssuingKeyGas: number;
  /** mint 1 by the operating key (the primary issuer), measured again with its receipt's fee. */
  mintByOperatingKeyGas: number;
  /** A top-up: a plain value transfer from the funding key. */
  topUpGas: number;
  /** ISSUER_GAS_TOP_UP_ETH's default, in wei (decimal string). */
  topUpWei: string;
  /** The effective gas price the chain charged the operating key's mint, in wei (decimal string). */
  feeWeiPerGas: string;
}

/** Voucher cancellation scenarios (issue 19), by name in the results. */
export const CANCEL_ONE = "cancelVouchers: 1 nonce";
export const CANCEL_HUNDRED = "cancelVouchers: 100 random 128-bit nonces (100 words)";
export const CANCEL_HUNDRED_ONE_WORD = "cancelVouchers: 100 consecutive nonces (one word)";

/** The figures of the run a new run replaced (its gas.json), to show what a change of the contracts moved. */
export interface PreviousGasRun {
  generatedAt: string;
  scenarios: GasScenarioResult[];
  deploymentGas: Record<string, number>;
  /** createEdition, by collection column (absent in runs before issuer accounts). */
  createEditionGas?: Record<string, number>;
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
  issuerAccounts?: IssuerAccountsGas;
  /** The older EVM build, measured in `gasByContract[OLDER_EVM_CLONE]`, and its deployment beside prague's (absent in runs before it). */
  olderEvm?: { build: string; deploymentGas: Record<string, number>; pragueDeploymentGas: Record<string, number> };
  previousRun?: PreviousGasRun;
}
