import { describe, expect, test } from "vitest";

import { ConfigError, WELL_KNOWN_DEV_PRIVATE_KEYS, assertSignerAllowedOnChain, loadConfig } from "./loadConfig.js";

function problemsOf(env: Record<string, string>): Array<{ field: string; message: string }> {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  test("with no environment runs everything embedded on port 8080 under ./data", () => {
    const config = loadConfig({});
    expect(config.port).toBe(8080);
    expect(config.host).toBe("127.0.0.1");
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.rpcUrl).toBeUndefined();
    expect(config.databaseUrl).toBeUndefined();
    expect(config.ipfsApiUrl).toBeUndefined();
    expect(config.signer).toEqual({ kind: "devDefault" });
  });

  test("PUBLIC_RPC_URL publishes an http(s) RPC endpoint to readers' browsers, and nothing by default", () => {
    expect(loadConfig({}).publicRpcUrl).toBeUndefined();
    expect(loadConfig({ RPC_URL: "https://rpc.example/v2/provider-key" }).publicRpcUrl).toBeUndefined();
    expect(loadConfig({ PUBLIC_RPC_URL: "https://rpc.example" }).publicRpcUrl).toBe("https://rpc.example");
    expect(problemsOf({ PUBLIC_RPC_URL: "wss://rpc.example" })).toEqual([{ field: "PUBLIC_RPC_URL", message: "must use http or https" }]);
  });

  test("reports every bad variable at once, each by name", () => {
    const problems = problemsOf({
      PORT: "eighty",
      RPC_URL: "not a url",
      DATABASE_URL: "mysql://localhost/x",
      SIGNER_PRIVATE_KEY: "0x1234",
    });
    expect(problems.map((problem) => problem.field).sort()).toEqual([
      "DATABASE_URL",
      "PORT",
      "RPC_URL",
      "SIGNER_PRIVATE_KEY",
    ]);
  });

  test("fees: auto mode, no caps and no budget by default; gwei and ether amounts parsed to wei", () => {
    expect(loadConfig({}).fees).toEqual({ mode: "auto", maxFeePerGasWei: undefined, maxPriorityFeePerGasWei: undefined, budgetPerHourWei: undefined });
    expect(
      loadConfig({ FEE_MODE: "eip1559", MAX_FEE_PER_GAS_GWEI: "30.5", MAX_PRIORITY_FEE_PER_GAS_GWEI: "0.000000001", GAS_BUDGET_PER_HOUR_ETH: "0.25" }).fees,
    ).toEqual({ mode: "eip1559", maxFeePerGasWei: 30_500_000_000n, maxPriorityFeePerGasWei: 1n, budgetPerHourWei: 250_000_000_000_000_000n });
    expect(loadConfig({ FEE_MODE: "legacy", MAX_FEE_PER_GAS_GWEI: "2" }).fees).toMatchObject({ mode: "legacy", maxFeePerGasWei: 2_000_000_000n });
    expect(loadConfig({ FEE_MODE: "zero", MAX_FEE_PER_GAS_GWEI: "0" }).fees).toMatchObject({ mode: "zero", maxFeePerGasWei: 0n });
  });

  test("fees: malformed values are refused, each by name", () => {
    const problems = problemsOf({ FEE_MODE: "cheap", MAX_FEE_PER_GAS_GWEI: "30 gwei", MAX_PRIORITY_FEE_PER_GAS_GWEI: "-1", GAS_BUDGET_PER_HOUR_ETH: "1e18" });
    expect(problems.map((problem) => problem.field).sort()).toEqual([
      "FEE_MODE",
      "GAS_BUDGET_PER_HOUR_ETH",
      "MAX_FEE_PER_GAS_GWEI",
      "MAX_PRIORITY_FEE_PER_GAS_GWEI",
    ]);
    expect(problemsOf({ MAX_FEE_PER_GAS_GWEI: "1.0000000001" })).toEqual([{ field: "MAX_FEE_PER_GAS_GWEI", message: "must be an amount in gwei, e.g. 30 or 0.05" }]);
  });

  test("fees: contradictory settings are refused, naming the variable", () => {
    expect(problemsOf({ FEE_MODE: "zero", MAX_FEE_PER_GAS_GWEI: "1", MAX_PRIORITY_FEE_PER_GAS_GWEI: "1", GAS_BUDGET_PER_HOUR_ETH: "1" }).map((p) => p.field)).toEqual([
      "MAX_FEE_PER_GAS_GWEI",
      "MAX_PRIORITY_FEE_PER_GAS_GWEI",
      "GAS_BUDGET_PER_HOUR_ETH",
    ]);
    expect(problemsOf({ MAX_FEE_PER_GAS_GWEI: "0" })).toEqual([
      { field: "MAX_FEE_PER_GAS_GWEI", message: "must be above 0 (for a chain without fees set FEE_MODE=zero)" },
    ]);
    expect(problemsOf({ FEE_MODE: "legacy", MAX_PRIORITY_FEE_PER_GAS_GWEI: "1" }).map((p) => p.field)).toEqual(["MAX_PRIORITY_FEE_PER_GAS_GWEI"]);
    expect(problemsOf({ MAX_FEE_PER_GAS_GWEI: "1", MAX_PRIORITY_FEE_PER_GAS_GWEI: "2" })).toEqual([
      { field: "MAX_PRIORITY_FEE_PER_GAS_GWEI", message: "must not be above MAX_FEE_PER_GAS_GWEI" },
    ]);
  });

  test("CONTRACTS_EVM_VERSION names a published build or auto (the default), and a wrong one is named with the choices", () => {
    expect(loadConfig({}).contractsBuild).toBe("auto");
    expect(loadConfig({ CONTRACTS_EVM_VERSION: "istanbul" }).contractsBuild).toBe("istanbul");
    expect(loadConfig({ CONTRACTS_EVM_VERSION: "prague" }).contractsBuild).toBe("prague");
    expect(problemsOf({ CONTRACTS_EVM_VERSION: "london" })).toEqual([{ field: "CONTRACTS_EVM_VERSION", message: "must be one of auto, prague, istanbul" }]);
  });

  test("needs a password with a keystore and refuses two signers", () => {
    expect(problemsOf({ SIGNER_KEYSTORE: "/k.json" }).map((p) => p.field)).toEqual(["SIGNER_KEYSTORE_PASSWORD"]);
    expect(
      problemsOf({ SIGNER_KEYSTORE: "/k.json", SIGNER_KEYSTORE_PASSWORD: "pw", SIGNER_PRIVATE_KEY: `0x${"1".repeat(64)}` }).map(
        (p) => p.field,
      ),
    ).toEqual(["SIGNER_KEYSTORE"]);
  });

  test("a pinning service needs both PINNING_SERVICE_URL and PINNING_SERVICE_TOKEN, each named when the other is missing", () => {
    expect(loadConfig({}).pinningService).toBeUndefined();
    expect(loadConfig({ PINNING_SERVICE_URL: "https://pins.example/psa", PINNING_SERVICE_TOKEN: "secret" }).pinningService).toEqual({
      url: "https://pins.example/psa",
      accessToken: "secret",
    });
    expect(problemsOf({ PINNING_SERVICE_URL: "https://pins.example/psa" })).toEqual([
      { field: "PINNING_SERVICE_TOKEN", message: "is required with PINNING_SERVICE_URL" },
    ]);
    expect(problemsOf({ PINNING_SERVICE_TOKEN: "secret" })).toEqual([{ field: "PINNING_SERVICE_URL", message: "is required with PINNING_SERVICE_TOKEN" }]);
    expect(problemsOf({ PINNING_SERVICE_URL: "ftp://pins.example", PINNING_SERVICE_TOKEN: "Bearer secret" }).map((problem) => problem.field).sort()).toEqual([
      "PINNING_SERVICE_TOKEN",
      "PINNING_SERVICE_URL",
    ]);
  });

  test("cluster settings: a 10 s lease term and shutdown grace by default, validated when set", () => {
    const defaults = loadConfig({});
    expect(defaults.leaseTtlMs).toBe(10_000);
    expect(defaults.shutdownTimeoutMs).toBe(10_000);
    expect(defaults.instanceId).toBeUndefined();
    expect(loadConfig({ LEASE_TTL_MS: "3000", INSTANCE_ID: "api-1" })).toMatchObject({ leaseTtlMs: 3_000, instanceId: "api-1" });
    expect(
      problemsOf({ LEASE_TTL_MS: "100", SHUTDOWN_TIMEOUT_MS: "soon", INSTANCE_ID: "two words" })
        .map((problem) => problem.field)
        .sort(),
    ).toEqual(["INSTANCE_ID", "LEASE_TTL_MS", "SHUTDOWN_TIMEOUT_MS"]);
  });

  test("verification bounds: 2 running, 16 queued, 1 per client, a 256 MiB cache and 30 s edition snapshots by default, validated when set", () => {
    expect(loadConfig({}).verification).toEqual({ maxRunning: 2, maxQueued: 16, maxPerClient: 1, cacheMaxBytes: 256 * 1024 * 1024, snapshotMs: 30_000 });
    expect(
      loadConfig({ VERIFICATION_MAX_RUNNING: "4", VERIFICATION_MAX_QUEUED: "0", VERIFICATION_MAX_PER_CLIENT: "1", VERIFICATION_CACHE_MB: "8", VERIFICATION_SNAPSHOT_SECONDS: "0" }).verification,
    ).toEqual({ maxRunning: 4, maxQueued: 0, maxPerClient: 1, cacheMaxBytes: 8 * 1024 * 1024, snapshotMs: 0 });
    expect(
      problemsOf({ VERIFICATION_MAX_RUNNING: "0", VERIFICATION_MAX_QUEUED: "-1", VERIFICATION_MAX_PER_CLIENT: "1.5", VERIFICATION_CACHE_MB: "lots", VERIFICATION_SNAPSHOT_SECONDS: "-5" })
        .map((problem) => problem.field)
        .sort(),
    ).toEqual(["VERIFICATION_CACHE_MB", "VERIFICATION_MAX_PER_CLIENT", "VERIFICATION_MAX_QUEUED", "VERIFICATION_MAX_RUNNING", "VERIFICATION_SNAPSHOT_SECONDS"]);
  });

  test("rate limits: every one has a default, takes <count>/<window> or off, and a bad one is refused by name", () => {
    expect(loadConfig({}).rateLimits).toEqual({
      apiAnonymous: { limit: 1_200, windowMs: 60_000 },
      apiKey: { limit: 6_000, windowMs: 60_000 },
      mint: { limit: 120, windowMs: 60_000 },
      verify: { limit: 60, windowMs: 60_000 },
      upload: { limit: 30, windowMs: 60_000 },
      ipfs: { limit: 2_400, windowMs: 60_000 },
      voucherRelay: { limit: 30, windowMs: 60_000 },
      claim: { limit: 600, windowMs: 60_000 },
    });
    const configured = loadConfig({
      RATE_LIMIT_API_ANONYMOUS: "100/30s",
      RATE_LIMIT_API_KEY: "5000/1h",
      RATE_LIMIT_IPFS: "off",
      RATE_LIMIT_VERIFY: "10/5000ms",
    }).rateLimits;
    expect(configured.apiAnonymous).toEqual({ limit: 100, windowMs: 30_000 });
    expect(configured.apiKey).toEqual({ limit: 5_000, windowMs: 3_600_000 });
    expect(configured.ipfs).toBeUndefined();
    expect(configured.verify).toEqual({ limit: 10, windowMs: 5_000 });
    const problems = problemsOf({
      RATE_LIMIT_API_ANONYMOUS: "1200",
      RATE_LIMIT_API_KEY: "0/1m",
      RATE_LIMIT_MINT: "10/2d",
      RATE_LIMIT_VERIFY: "ten/1m",
      RATE_LIMIT_UPLOAD: "10/0s",
      RATE_LIMIT_IPFS: "10/25h",
    });
    expect(problems.map((problem) => problem.field).sort()).toEqual([
      "RATE_LIMIT_API_ANONYMOUS",
      "RATE_LIMIT_API_KEY",
      "RATE_LIMIT_IPFS",
      "RATE_LIMIT_MINT",
      "RATE_LIMIT_UPLOAD",
      "RATE_LIMIT_VERIFY",
    ]);
    expect(problems[0]!.message).toMatch(/<count>\/<window>/);
  });

  test("TRUST_PROXY: false by default; true, a hop count or a list of addresses, ranges and names; anything else refused", () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "false" }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: "TRUE" }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: "2" }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: "loopback, 10.0.0.0/8 ,fd00::/8,192.0.2.7" }).trustProxy).toEqual([
      "loopback",
      "10.0.0.0/8",
      "fd00::/8",
      "192.0.2.7",
    ]);
    expect(loadConfig({ TRUST_PROXY: "uniquelocal,linklocal" }).trustProxy).toEqual(["uniquelocal", "linklocal"]);
    for (const bad of ["yes", "10.0.0.0/33", "300.1.2.3", "loopback,,10.0.0.1", "loopback,1", "-1"]) {
      expect(problemsOf({ TRUST_PROXY: bad }).map((problem) => problem.field)).toEqual(["TRUST_PROXY"]);
    }
  });

  test("upload concurrency: 4 by default, a whole number from 1 to 256 when set", () => {
    expect(loadConfig({}).uploadConcurrency).toBe(4);
    expect(loadConfig({ UPLOAD_CONCURRENCY: "16" }).uploadConcurrency).toBe(16);
    for (const bad of ["0", "1.5", "many", "257"]) {
      expect(problemsOf({ UPLOAD_CONCURRENCY: bad }).map((problem) => problem.field)).toEqual(["UPLOAD_CONCURRENCY"]);
    }
  });

  test("edition budgets: 1 GiB of metadata, 16 locales, 64 attributes and a job past 10,000 documents by default, validated when set", () => {
    const defaults = loadConfig({});
    expect(defaults.editionBudget).toEqual({
      maxMetadataBytes: 1024 * 1024 * 1024,
      maxDocuments: 2_000_000,
      maxLocales: 16,
      maxAttributes: 64,
      maxAttributeBytes: 1024,
    });
    expect(defaults.editionJobThresholdDocuments).toBe(10_000);
    expect(loadConfig({ EDITION_MAX_LOCALES: "4", EDITION_JOB_THRESHOLD_DOCUMENTS: "0" })).toMatchObject({
      editionBudget: { maxLocales: 4 },
      editionJobThresholdDocuments: 0,
    });
    expect(
      problemsOf({ EDITION_MAX_METADATA_BYTES: "12", EDITION_MAX_ATTRIBUTES: "many", EDITION_MAX_ATTRIBUTE_BYTES: "1.5", EDITION_MAX_DOCUMENTS: "0" })
        .map((problem) => problem.field)
        .sort(),
    ).toEqual(["EDITION_MAX_ATTRIBUTES", "EDITION_MAX_ATTRIBUTE_BYTES", "EDITION_MAX_DOCUMENTS", "EDITION_MAX_METADATA_BYTES"]);
  });

  test("treats empty variables as unset", () => {
    expect(loadConfig({ RPC_URL: "", PORT: "" }).port).toBe(8080);
  });

  test("refuses the well-known development keys on a non-local chain only", () => {
    const devKey = WELL_KNOWN_DEV_PRIVATE_KEYS[0]!;
    expect(() => assertSignerAllowedOnChain(devKey, 31337)).not.toThrow();
    expect(() => assertSignerAllowedOnChain(devKey, 11155111)).toThrow(ConfigError);
    expect(() => assertSignerAllowedOnChain(`0x${"2".repeat(64)}`, 1)).not.toThrow();
  });
});
