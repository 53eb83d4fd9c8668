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

  test("upload concurrency: 4 by default, a whole number from 1 to 256 when set", () => {
    expect(loadConfig({}).uploadConcurrency).toBe(4);
    expect(loadConfig({ UPLOAD_CONCURRENCY: "16" }).uploadConcurrency).toBe(16);
    for (const bad of ["0", "1.5", "many", "257"]) {
      expect(problemsOf({ UPLOAD_CONCURRENCY: bad }).map((problem) => problem.field)).toEqual(["UPLOAD_CONCURRENCY"]);
    }
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
