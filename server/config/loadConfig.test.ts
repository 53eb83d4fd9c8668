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

  test("needs a password with a keystore and refuses two signers", () => {
    expect(problemsOf({ SIGNER_KEYSTORE: "/k.json" }).map((p) => p.field)).toEqual(["SIGNER_KEYSTORE_PASSWORD"]);
    expect(
      problemsOf({ SIGNER_KEYSTORE: "/k.json", SIGNER_KEYSTORE_PASSWORD: "pw", SIGNER_PRIVATE_KEY: `0x${"1".repeat(64)}` }).map(
        (p) => p.field,
      ),
    ).toEqual(["SIGNER_KEYSTORE"]);
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

  test("verification bounds: 2 running, 16 queued, 2 per client and a 256 MiB cache by default, validated when set", () => {
    expect(loadConfig({}).verification).toEqual({ maxRunning: 2, maxQueued: 16, maxPerClient: 2, cacheMaxBytes: 256 * 1024 * 1024 });
    expect(
      loadConfig({ VERIFICATION_MAX_RUNNING: "4", VERIFICATION_MAX_QUEUED: "0", VERIFICATION_MAX_PER_CLIENT: "1", VERIFICATION_CACHE_MB: "8" }).verification,
    ).toEqual({ maxRunning: 4, maxQueued: 0, maxPerClient: 1, cacheMaxBytes: 8 * 1024 * 1024 });
    expect(
      problemsOf({ VERIFICATION_MAX_RUNNING: "0", VERIFICATION_MAX_QUEUED: "-1", VERIFICATION_MAX_PER_CLIENT: "1.5", VERIFICATION_CACHE_MB: "lots" })
        .map((problem) => problem.field)
        .sort(),
    ).toEqual(["VERIFICATION_CACHE_MB", "VERIFICATION_MAX_PER_CLIENT", "VERIFICATION_MAX_QUEUED", "VERIFICATION_MAX_RUNNING"]);
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
