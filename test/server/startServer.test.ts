import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import { afterAll, describe, expect, test } from "vitest";

import { startAnvil } from "../../server/chain/startAnvil.js";
import { loadConfig } from "../../server/config/loadConfig.js";
import { type VermilionError, isVermilionError } from "../../server/errors/VermilionError.js";
import { startServer } from "../../server/startup/startServer.js";

describe("startServer on embedded defaults", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  test("starts chain, database and API, deploys the factory once, and keeps it across a restart", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-server-"));
    dirs.push(dataDir);
    const config = loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent" });

    const first = await startServer(config);
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(first.firstAdminApiKey).toMatch(/^vmn_/);
      const health = await fetch(`${first.url}/api/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toMatchObject({ status: "ok", chainId: 31337, chain: "ok", database: "ok", ipfs: "ok" });

      const missing = await fetch(`${first.url}/api/no-such-route`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("ROUTE_NOT_FOUND");
      expect(health.headers.get("x-content-type-options")).toBe("nosniff");
      // CORS is closed: no origin is ever allowed, preflight or not.
      const preflight = await fetch(`${first.url}/api/collections`, {
        method: "OPTIONS",
        headers: { origin: "https://elsewhere.example", "access-control-request-method": "POST" },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
      const openApi = await fetch(`${first.url}/api/openapi.json`);
      expect(((await openApi.json()) as { openapi: string }).openapi).toBe("3.1.0");
    } finally {
      await first.stop();
    }

    const second = await startServer(config);
    try {
      expect(second.factoryAddress).toBe(first.factoryAddress);
      expect(second.firstAdminApiKey).toBeUndefined();
    } finally {
      await second.stop();
    }
  });

  test("answers in Chinese when the client prefers it, keeping the code", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-server-"));
    dirs.push(dataDir);
    const running = await startServer(loadConfig({ DATA_DIR: dataDir, PORT: "0", LOG_LEVEL: "silent" }));
    try {
      const response = await fetch(`${running.url}/api/nothing`, { headers: { "accept-language": "zh-CN,zh;q=0.9" } });
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("ROUTE_NOT_FOUND");
      expect(body.error.message).toContain("没有路由");
    } finally {
      await running.stop();
    }
  });
});

describe("FACTORY_ADDRESS", () => {
  test("adopts a factory deployed beforehand and refuses an address without code", async () => {
    const anvil = await startAnvil();
    const dirs = await Promise.all([1, 2, 3].map(() => mkdtemp(path.join(os.tmpdir(), "vermilion-factory-"))));
    try {
      const deployer = await startServer(loadConfig({ DATA_DIR: dirs[0]!, PORT: "0", LOG_LEVEL: "silent", RPC_URL: anvil.rpcUrl }));
      const factoryAddress = deployer.factoryAddress;
      await deployer.stop();

      const adopter = await startServer(
        loadConfig({ DATA_DIR: dirs[1]!, PORT: "0", LOG_LEVEL: "silent", RPC_URL: anvil.rpcUrl, FACTORY_ADDRESS: factoryAddress }),
      );
      expect(adopter.factoryAddress).toBe(factoryAddress);
      await adopter.stop();

      const refused = await startServer(
        loadConfig({ DATA_DIR: dirs[2]!, PORT: "0", LOG_LEVEL: "silent", RPC_URL: anvil.rpcUrl, FACTORY_ADDRESS: `0x${"42".repeat(20)}` }),
      ).catch((error: unknown) => error);
      expect(isVermilionError(refused, "CONFIG_INVALID")).toBe(true);
      expect((refused as VermilionError).details.field).toBe("FACTORY_ADDRESS");
    } finally {
      await anvil.stop();
      for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    }
  });
});
