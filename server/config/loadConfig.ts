import type { Hex } from "viem";
import type { FeePolicy } from "./feePolicySettings.js";
import type { GasFundingSettings } from "./gasFundingSettings.js";

import path from "node:path";

import { parseEther, parseGwei } from "viem";
import { validateMnemonic } from "@scure/bip39";
import { wordlist as english } from "@scure/bip39/wordlists/english";
import { z } from "zod";

import type { RateLimitName, RateLimitRules } from "./rateLimitRules.js";
import type { TrustProxy } from "./trustProxySchema.js";

import { publishedBuilds } from "vermilion-verify/abis/publishedBuilds.js";

import { VermilionError } from "../errors/VermilionError.js";
import { RATE_LIMIT_RULES, rateLimitSchema } from "./rateLimitRules.js";
import { trustProxySchema } from "./trustProxySchema.js";
import { DEFAULT_EDITION_BUDGET, DEFAULT_EDITION_JOB_THRESHOLD_DOCUMENTS, type EditionBudget } from "./editionBudgetSettings.js";

/**
 * Private keys of Anvil's and Hardhat's default accounts: public knowledge, so they are accepted only
 * on local chains (see `assertSignerAllowedOnChain`).
 */
export const WELL_KNOWN_DEV_PRIVATE_KEYS: readonly Hex[] = [
  "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
  "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
  "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
  "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
  "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
];

/**
 * Anvil's and Hardhat's default mnemonic. Issuer keys derive from it on local chains when
 * ISSUER_KEYS_MNEMONIC is unset (their paths, m/44'/60'/<k≥1>'/…, are none of the funded dev accounts);
 * public knowledge, so refused on any other chain (`assertIssuerKeysAllowedOnChain`).
 */
export const WELL_KNOWN_DEV_MNEMONIC = "test test test test test test test test test test test junk";

/** A published build of the contracts, by name (its EVM version): the verifier's list is the one list. */
type ContractBuildName = (typeof publishedBuilds)[number]["name"];
const CONTRACT_BUILD_NAMES = publishedBuilds.map((build) => build.name) as [ContractBuildName, ...ContractBuildName[]];
/** What CONTRACTS_EVM_VERSION may be, as its error names them. */
const CONTRACT_BUILD_CHOICES = ["auto", ...CONTRACT_BUILD_NAMES].join(", ");

/** Chain ids of development chains (Anvil, Hardhat, Ganache). */
export const LOCAL_CHAIN_IDS: ReadonlySet<number> = new Set([31337, 1337]);

const privateKeySchema = z
  .string()
  .regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x followed by 64 hex digits")
  .transform((value) => value.toLowerCase() as Hex);

/** An amount of the chain's native currency in ether units ("0.05"), parsed to wei. */
const etherSetting = z
  .string()
  .regex(/^\d{1,30}(\.\d{1,18})?$/, "must be an amount in ether, e.g. 0.05")
  .transform((value) => parseEther(value));

/** A fee per gas in gwei ("1.5"), parsed to wei: what finance teams and explorers quote. */
const gweiSetting = z
  .string()
  .regex(/^\d{1,15}(\.\d{1,9})?$/, "must be an amount in gwei, e.g. 30 or 0.05")
  .transform((value) => parseGwei(value));

const urlSchema = (protocols: string[]) =>
  z
    .string()
    .refine((value) => URL.canParse(value), "must be a URL")
    .refine(
      (value) => !URL.canParse(value) || protocols.includes(new URL(value).protocol),
      `must use ${protocols.map((protocol) => protocol.replace(":", "")).join(" or ")}`,
    );

const integerSetting = (min: number, max: number) =>
  z.coerce.number({ error: "must be a number" }).int("must be an integer").min(min).max(max);
/** RATE_LIMIT_API_ANONYMOUS and the others, each parsed from `<count>/<window>` or `off`, with its default. */
const rateLimitVariables = Object.fromEntries(
  Object.values(RATE_LIMIT_RULES).map((rule) => [rule.env, rateLimitSchema.prefault(rule.default)]),
) as Record<(typeof RATE_LIMIT_RULES)[RateLimitName]["env"], ReturnType<typeof rateLimitSchema.prefault>>;

const environmentSchema = z
  .object({
    ...rateLimitVariables,
    TRUST_PROXY: trustProxySchema.optional(),
    DATA_DIR: z.string().min(1).default("./data"),
    PORT: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(0).max(65_535).default(8080),
    HOST: z.string().min(1).default("127.0.0.1"),
    RPC_URL: urlSchema(["http:", "https:", "ws:", "wss:"]).optional(),
    PUBLIC_RPC_URL: urlSchema(["http:", "https:"]).optional(),
    SIGNER_PRIVATE_KEY: privateKeySchema.optional(),
    SIGNER_KEYSTORE: z.string().min(1).optional(),
    SIGNER_KEYSTORE_PASSWORD: z.string().optional(),
    ISSUER_KEYS_MNEMONIC: z
      .string()
      .transform((value) => value.trim().split(/\s+/).join(" "))
      .refine((value) => validateMnemonic(value, english), "must be a BIP-39 English mnemonic (12–24 words with a valid checksum)")
      .optional(),
    // Fee policy (server/chain/fees/, docs/minting.md "Fees").
    FEE_MODE: z.enum(["auto", "eip1559", "legacy", "zero"], { error: "must be auto, eip1559, legacy or zero" }).default("auto"),
    MAX_FEE_PER_GAS_GWEI: gweiSetting.optional(),
    MAX_PRIORITY_FEE_PER_GAS_GWEI: gweiSetting.optional(),
    GAS_BUDGET_PER_HOUR_ETH: etherSetting.optional(),
    ISSUER_GAS_TOP_UP_ETH: etherSetting.default(parseEther("0.05")),
    ISSUER_GAS_BUDGET_ETH: etherSetting.default(parseEther("1")),
    ISSUER_GAS_BUDGET_WINDOW_HOURS: z.coerce.number({ error: "must be a number" }).positive("must be above 0").max(24 * 366).default(24),
    IPFS_API_URL: urlSchema(["http:", "https:"]).optional(),
    // An IPFS Pinning Service API endpoint every edition's CIDs are also pinned on (server/storage/pinning/).
    PINNING_SERVICE_URL: urlSchema(["http:", "https:"]).optional(),
    PINNING_SERVICE_TOKEN: z
      .string()
      // Printable ASCII only: the token goes into an Authorization header as it is.
      .regex(/^[!-~]+$/, "must not contain spaces or control characters")
      .optional(),
    FACTORY_ADDRESS: z
      .string()
      .regex(/^0x[0-9a-fA-F]{40}$/, "must be a 0x-prefixed 20-byte hex address")
      .transform((value) => value.toLowerCase() as Hex)
      .optional(),
    // Which published build of the contracts a new deployment uses (server/deployment/chooseContractBuild.ts).
    CONTRACTS_EVM_VERSION: z
      .enum(["auto", ...CONTRACT_BUILD_NAMES], { error: `must be one of ${CONTRACT_BUILD_CHOICES}` })
      .default("auto"),
    DATABASE_URL: urlSchema(["postgres:", "postgresql:"]).optional(),
    ADMIN_API_KEY: z.string().min(24, "must be at least 24 characters").optional(),
    CONFIRMATIONS: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(0).max(1_000).optional(),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    // Default 10 s: renewals every ~3.3 s, takeover after a crash within ~13.3 s (docs/cluster.md promises one within 15 s).
    LEASE_TTL_MS: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(500).max(300_000).default(10_000),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(0).max(600_000).default(10_000),
    VERIFICATION_MAX_RUNNING: integerSetting(1, 64).default(2),
    VERIFICATION_MAX_QUEUED: integerSetting(0, 10_000).default(16),
    VERIFICATION_MAX_PER_CLIENT: integerSetting(1, 1_000).default(1),
    VERIFICATION_CACHE_MB: integerSetting(1, 65_536).default(256),
    VERIFICATION_SNAPSHOT_SECONDS: integerSetting(0, 86_400).default(30),
    UPLOAD_CONCURRENCY: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(1).max(256).default(4),
    // Edition budgets (server/editions/editionBudget.ts); the defaults let a 999,999-serial edition with a few locales through.
    EDITION_MAX_METADATA_BYTES: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(1_024).max(2 ** 40).default(DEFAULT_EDITION_BUDGET.maxMetadataBytes),
    EDITION_MAX_DOCUMENTS: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(1).max(100_000_000).default(DEFAULT_EDITION_BUDGET.maxDocuments),
    EDITION_MAX_LOCALES: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(0).max(200).default(DEFAULT_EDITION_BUDGET.maxLocales),
    EDITION_MAX_ATTRIBUTES: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(0).max(1_000).default(DEFAULT_EDITION_BUDGET.maxAttributes),
    EDITION_MAX_ATTRIBUTE_BYTES: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(16).max(65_536).default(DEFAULT_EDITION_BUDGET.maxAttributeBytes),
    EDITION_JOB_THRESHOLD_DOCUMENTS: z.coerce.number({ error: "must be a number" }).int("must be an integer").min(0).max(100_000_000).default(DEFAULT_EDITION_JOB_THRESHOLD_DOCUMENTS),
    INSTANCE_ID: z
      .string()
      .regex(/^[\w.:@-]{1,100}$/, "must be 1–100 letters, digits or . : @ - _")
      .optional(),
  })
  .superRefine((env, context) => {
    if (env.SIGNER_PRIVATE_KEY && env.SIGNER_KEYSTORE) {
      context.addIssue({
        code: "custom",
        path: ["SIGNER_KEYSTORE"],
        message: "set either SIGNER_PRIVATE_KEY or SIGNER_KEYSTORE, not both",
      });
    }
    if (env.PINNING_SERVICE_URL !== undefined && env.PINNING_SERVICE_TOKEN === undefined) {
      context.addIssue({ code: "custom", path: ["PINNING_SERVICE_TOKEN"], message: "is required with PINNING_SERVICE_URL" });
    }
    if (env.PINNING_SERVICE_TOKEN !== undefined && env.PINNING_SERVICE_URL === undefined) {
      context.addIssue({ code: "custom", path: ["PINNING_SERVICE_URL"], message: "is required with PINNING_SERVICE_TOKEN" });
    }
    for (const problem of feePolicyProblems(env)) context.addIssue({ code: "custom", path: [problem.field], message: problem.message });
    if (env.SIGNER_KEYSTORE && env.SIGNER_KEYSTORE_PASSWORD === undefined) {
      context.addIssue({
        code: "custom",
        path: ["SIGNER_KEYSTORE_PASSWORD"],
        message: "is required with SIGNER_KEYSTORE",
      });
    }
  });

/**
 * Fee settings that contradict each other (what contradicts the chain is refused at start, by
 * `resolveFeeMode`):
 * 1. zero mode with a non-zero cap or a budget: nothing is ever paid, so they would only mislead;
 * 2. a cap of 0 outside zero mode: no transaction could be sent (a zero-fee chain is FEE_MODE=zero);
 * 3. legacy mode with a priority-fee cap: legacy transactions have one gas price, capped by MAX_FEE_PER_GAS_GWEI;
 * 4. a priority-fee cap above the max-fee cap: the priority fee can never exceed the max fee.
 */
function feePolicyProblems(env: {
  FEE_MODE: string;
  MAX_FEE_PER_GAS_GWEI?: bigint | undefined;
  MAX_PRIORITY_FEE_PER_GAS_GWEI?: bigint | undefined;
  GAS_BUDGET_PER_HOUR_ETH?: bigint | undefined;
}): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const caps = [
    ["MAX_FEE_PER_GAS_GWEI", env.MAX_FEE_PER_GAS_GWEI],
    ["MAX_PRIORITY_FEE_PER_GAS_GWEI", env.MAX_PRIORITY_FEE_PER_GAS_GWEI],
  ] as const;
  if (env.FEE_MODE === "zero") {
    for (const [field, cap] of caps) {
      if (cap !== undefined && cap > 0n) problems.push({ field, message: "must be unset or 0 with FEE_MODE=zero (transactions are signed with zero fees)" });
    }
    if (env.GAS_BUDGET_PER_HOUR_ETH !== undefined && env.GAS_BUDGET_PER_HOUR_ETH > 0n) {
      problems.push({ field: "GAS_BUDGET_PER_HOUR_ETH", message: "must be unset with FEE_MODE=zero (nothing is spent)" });
    }
    return problems;
  }
  if (env.MAX_FEE_PER_GAS_GWEI === 0n) problems.push({ field: "MAX_FEE_PER_GAS_GWEI", message: "must be above 0 (for a chain without fees set FEE_MODE=zero)" });
  if (env.FEE_MODE === "legacy" && env.MAX_PRIORITY_FEE_PER_GAS_GWEI !== undefined) {
    problems.push({ field: "MAX_PRIORITY_FEE_PER_GAS_GWEI", message: "has no meaning with FEE_MODE=legacy (one gas price, capped by MAX_FEE_PER_GAS_GWEI)" });
  }
  if (
    env.MAX_FEE_PER_GAS_GWEI !== undefined &&
    env.MAX_PRIORITY_FEE_PER_GAS_GWEI !== undefined &&
    env.MAX_PRIORITY_FEE_PER_GAS_GWEI > env.MAX_FEE_PER_GAS_GWEI
  ) {
    problems.push({ field: "MAX_PRIORITY_FEE_PER_GAS_GWEI", message: "must not be above MAX_FEE_PER_GAS_GWEI" });
  }
  return problems;
}

/** The platform's whole configuration, validated. Only `server/main.ts` builds it, from the environment. */
export interface Config {
  dataDir: string;
  port: number;
  host: string;
  /** Undefined: run the embedded Anvil. */
  rpcUrl: string | undefined;
  /**
   * The JSON-RPC endpoint the pages offer readers' browsers as this platform's, for in-browser
   * verification. Undefined: the embedded Anvil's when there is one, else none (RPC_URL may carry a
   * provider's key, so it is never published by itself).
   */
  publicRpcUrl: string | undefined;
  signer:
    | { kind: "privateKey"; privateKey: Hex }
    | { kind: "keystore"; keystorePath: string; password: string }
    | { kind: "devDefault" };
  /** The BIP-39 mnemonic every issuer's keys derive from (docs/issuers.md); devDefault: the well-known dev mnemonic. */
  issuerKeys: { kind: "mnemonic"; mnemonic: string } | { kind: "devDefault" };
  /** Transaction type, fee caps and hourly gas budget of every transaction the platform signs (FEE_MODE …). */
  fees: FeePolicy;
  /** Gas the platform's funding key gives issuers' keys: per top-up, and per issuer within a window. */
  gasFunding: GasFundingSettings;
  ipfsApiUrl: string | undefined;
  /** The remote pinning service every edition's CIDs are also pinned on; undefined: none. */
  pinningService: { url: string; accessToken: string } | undefined;
  /** A factory deployed beforehand (`npm run deploy`), required on non-local chains. */
  factoryAddress: Hex | undefined;
  /**
   * The published build of the contracts a new factory is deployed from; "auto": the newest the chain can
   * run. A factory already deployed keeps its build.
   */
  contractsBuild: ContractBuildName | "auto";
  databaseUrl: string | undefined;
  adminApiKey: string | undefined;
  /** Blocks after which an event is final; undefined: 0 on local chains, 12 elsewhere. */
  confirmations: number | undefined;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Term of a cluster lease (mint sender, indexer writer): a dead holder is replaced within ~4/3 of it. */
  leaseTtlMs: number;
  /** On SIGTERM, how long in-flight HTTP requests may take before their connections are closed. */
  shutdownTimeoutMs: number;
  /** This instance's name in leases and logs; undefined: host name, process id and a random suffix. */
  instanceId: string | undefined;
  /** Public verification work (reports, bundles, edition jobs): bounds per process and the answers kept. */
  verification: { maxRunning: number; maxQueued: number; maxPerClient: number; cacheMaxBytes: number; snapshotMs: number };
  /** Express's `trust proxy`: which hops' X-Forwarded-For decides a client's address (false: none). */
  trustProxy: TrustProxy;
  /** Every request limit (`RATE_LIMIT_RULES`); undefined where switched off. */
  rateLimits: RateLimitRules;
  /** Uploads received at once; past it an upload is refused with 503 UPLOADS_BUSY before its body is read. */
  uploadConcurrency: number;
  /** What one edition may write (EDITION_MAX_*). */
  editionBudget: EditionBudget;
  /** Editions with more metadata documents than this are built by a queued job (202), not in the request. */
  editionJobThresholdDocuments: number;
}

export interface ConfigProblem {
  field: string;
  message: string;
}

/** Thrown with every problem found, so one start reports them all. */
export class ConfigError extends VermilionError {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    super("CONFIG_INVALID", {
      field: problems.map((problem) => problem.field).join(", "),
      reason: problems.map((problem) => `${problem.field} ${problem.message}`).join("; "),
    });
    this.problems = problems;
  }
}

/** Validates the environment; throws a ConfigError naming every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  // Empty variables mean unset (a common shell habit: `RPC_URL= npm start`).
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ""));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({ field: String(issue.path[0] ?? "environment"), message: issue.message })),
    );
  }
  const values = parsed.data;
  return {
    dataDir: path.resolve(values.DATA_DIR),
    port: values.PORT,
    host: values.HOST,
    rpcUrl: values.RPC_URL,
    publicRpcUrl: values.PUBLIC_RPC_URL,
    signer: values.SIGNER_PRIVATE_KEY
      ? { kind: "privateKey", privateKey: values.SIGNER_PRIVATE_KEY }
      : values.SIGNER_KEYSTORE
        ? { kind: "keystore", keystorePath: path.resolve(values.SIGNER_KEYSTORE), password: values.SIGNER_KEYSTORE_PASSWORD ?? "" }
        : { kind: "devDefault" },
    issuerKeys: values.ISSUER_KEYS_MNEMONIC ? { kind: "mnemonic", mnemonic: values.ISSUER_KEYS_MNEMONIC } : { kind: "devDefault" },
    fees: {
      mode: values.FEE_MODE,
      maxFeePerGasWei: values.MAX_FEE_PER_GAS_GWEI,
      maxPriorityFeePerGasWei: values.MAX_PRIORITY_FEE_PER_GAS_GWEI,
      budgetPerHourWei: values.GAS_BUDGET_PER_HOUR_ETH,
    },
    gasFunding: {
      topUpWei: values.ISSUER_GAS_TOP_UP_ETH,
      budgetWei: values.ISSUER_GAS_BUDGET_ETH,
      budgetWindowMs: values.ISSUER_GAS_BUDGET_WINDOW_HOURS * 3_600_000,
    },
    ipfsApiUrl: values.IPFS_API_URL,
    pinningService:
      values.PINNING_SERVICE_URL !== undefined && values.PINNING_SERVICE_TOKEN !== undefined
        ? { url: values.PINNING_SERVICE_URL, accessToken: values.PINNING_SERVICE_TOKEN }
        : undefined,
    factoryAddress: values.FACTORY_ADDRESS,
    contractsBuild: values.CONTRACTS_EVM_VERSION,
    databaseUrl: values.DATABASE_URL,
    adminApiKey: values.ADMIN_API_KEY,
    confirmations: values.CONFIRMATIONS,
    logLevel: values.LOG_LEVEL,
    leaseTtlMs: values.LEASE_TTL_MS,
    shutdownTimeoutMs: values.SHUTDOWN_TIMEOUT_MS,
    instanceId: values.INSTANCE_ID,
    verification: {
      maxRunning: values.VERIFICATION_MAX_RUNNING,
      maxQueued: values.VERIFICATION_MAX_QUEUED,
      maxPerClient: values.VERIFICATION_MAX_PER_CLIENT,
      cacheMaxBytes: values.VERIFICATION_CACHE_MB * 1024 * 1024,
      snapshotMs: values.VERIFICATION_SNAPSHOT_SECONDS * 1000,
    },
    trustProxy: values.TRUST_PROXY ?? false,
    rateLimits: Object.fromEntries(
      Object.entries(RATE_LIMIT_RULES).map(([name, rule]) => [name, values[rule.env]]),
    ) as RateLimitRules,
    uploadConcurrency: values.UPLOAD_CONCURRENCY,
    editionBudget: {
      maxMetadataBytes: values.EDITION_MAX_METADATA_BYTES,
      maxDocuments: values.EDITION_MAX_DOCUMENTS,
      maxLocales: values.EDITION_MAX_LOCALES,
      maxAttributes: values.EDITION_MAX_ATTRIBUTES,
      maxAttributeBytes: values.EDITION_MAX_ATTRIBUTE_BYTES,
    },
    editionJobThresholdDocuments: values.EDITION_JOB_THRESHOLD_DOCUMENTS,
  };
}

/**
 * Refuses the well-known development keys (and the "no signer configured" default, which uses one) on
 * any chain that is not a local development chain.
 */
export function assertSignerAllowedOnChain(privateKey: Hex, chainId: number): void {
  if (LOCAL_CHAIN_IDS.has(chainId)) return;
  if (WELL_KNOWN_DEV_PRIVATE_KEYS.includes(privateKey.toLowerCase() as Hex)) {
    throw new ConfigError([
      {
        field: "SIGNER_PRIVATE_KEY",
        message: `is a publicly known development key; refused on chain ${chainId}. Set SIGNER_PRIVATE_KEY or SIGNER_KEYSTORE`,
      },
    ]);
  }
}

/** The issuer-keys mnemonic to use: the configured one, or the dev mnemonic, which only a local chain accepts. */
export function resolveIssuerKeysMnemonic(issuerKeys: Config["issuerKeys"], chainId: number): string {
  const mnemonic = issuerKeys.kind === "mnemonic" ? issuerKeys.mnemonic : WELL_KNOWN_DEV_MNEMONIC;
  if (!LOCAL_CHAIN_IDS.has(chainId) && mnemonic === WELL_KNOWN_DEV_MNEMONIC) {
    throw new ConfigError([
      {
        field: "ISSUER_KEYS_MNEMONIC",
        message: `is ${issuerKeys.kind === "mnemonic" ? "the publicly known development mnemonic" : "required"} on chain ${chainId}: set a BIP-39 mnemonic of your own (docs/issuers.md)`,
      },
    ]);
  }
  return mnemonic;
}
