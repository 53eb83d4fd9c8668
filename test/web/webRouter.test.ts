import type { VerifyEndpoints } from "../../server/web/parseVerifyEndpoints.js";
import type { ListeningServer } from "../support/listen.js";

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import pino from "pino";
import { getAddress } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createApp } from "../../server/app.js";
import { createWebRouter } from "../../server/web/webRouter.js";
import { listen } from "../support/listen.js";

const logger = pino({ level: "silent" });
let distDir: string;
let built: ListeningServer;
let unbuilt: ListeningServer;
/** The same build served with the platform's verification endpoints, as startServer mounts it. */
let verifying: ListeningServer;
const PLATFORM_RPC = "http://127.0.0.1:8545";
const PLATFORM_FACTORY = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const TOKEN_PAGE = "/tokens/0x4d3027f20c0f57c09d452343c86116283c63ef6b/1000001";

/** The page's `<meta name="vermilion-verify">`, decoded as the front end reads it. */
async function verifyMeta(response: Response): Promise<VerifyEndpoints> {
  const html = await response.text();
  const content = /<meta name="vermilion-verify" content="([^"]*)">/.exec(html)?.[1];
  if (content === undefined) throw new Error("no vermilion-verify meta");
  return JSON.parse(content.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))) as VerifyEndpoints;
}

/** The connect-src directive's sources, in order. */
function connectSources(response: Response): string[] {
  const directive = (response.headers.get("content-security-policy") ?? "").split(";").map((part) => part.trim()).find((part) => part.startsWith("connect-src "));
  return directive?.split(/\s+/).slice(1) ?? [];
}

beforeAll(async () => {
  distDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-web-dist-"));
  await mkdir(path.join(distDir, "assets"));
  await writeFile(path.join(distDir, "index.html"), "<!doctype html><title>Vermilion</title><div id=app></div>");
  await writeFile(path.join(distDir, "assets", "index-abc123.js"), "console.log('app')");
  await writeFile(path.join(distDir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  built = await listen(createApp({ logger, routers: [createWebRouter({ distDir })] }));
  unbuilt = await listen(createApp({ logger, routers: [createWebRouter({ distDir: path.join(distDir, "missing") })] }));
  verifying = await listen(
    createApp({ logger, routers: [createWebRouter({ distDir, verify: { rpcUrl: PLATFORM_RPC, factory: PLATFORM_FACTORY, factoryFromBlock: 7n, chainId: 31337 } })] }),
  );
});

afterAll(async () => {
  await built.close();
  await unbuilt.close();
  await verifying.close();
  await rm(distDir, { recursive: true, force: true });
});

describe("createWebRouter", () => {
  test.each([
    "/",
    "/collections/0x4d3027f20c0f57c09d452343c86116283c63ef6b",
    "/collections/0x4d3027f20c0f57c09d452343c86116283c63ef6b/editions/1",
    "/tokens/0x4d3027f20c0f57c09d452343c86116283c63ef6b/1000001",
    "/owners/0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc",
    "/issuer",
    "/audit",
  ])("answers the page route %s with index.html under the page's CSP", async (route) => {
    const response = await fetch(`${built.baseUrl}${route}`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
    expect(response.headers.get("cache-control")).toBe("no-cache");
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(csp).not.toMatch(/'unsafe-eval'|https?:/);
    expect(await response.text()).toContain("<div id=app>");
  });

  test("serves hashed assets with an immutable year-long cache, and 404s unknown ones", async () => {
    const asset = await fetch(`${built.baseUrl}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await fetch(`${built.baseUrl}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${built.baseUrl}/favicon.svg`)).status).toBe(200);
  });

  test("never answers for /api or /ipfs, nor for unknown pages", async () => {
    const api = await fetch(`${built.baseUrl}/api/nothing-here`);
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe("ROUTE_NOT_FOUND");
    for (const route of ["/ipfs/bafkreiabc", "/tokens/only-one-segment", "/index.html/x"]) {
      const response = await fetch(`${built.baseUrl}${route}`);
      expect(response.status, route).toBe(404);
      expect(await response.text(), route).not.toContain("<div id=app>");
    }
  });

  test("without a build, answers pages with 503 and how to build, and the app still starts", async () => {
    const response = await fetch(`${unbuilt.baseUrl}/tokens/0x4d3027f20c0f57c09d452343c86116283c63ef6b/1`);
    expect(response.status).toBe(503);
    expect(await response.text()).toContain("npm run build");
  });

  test("a page's CSP lets it call exactly the RPC and gateway origins its query chose, and names them in its meta", async () => {
    const query = new URLSearchParams({ rpc: "http://127.0.0.1:9999/rpc/", gateway: "https://gateway.example:8443/base", factory: "0x4d3027f20c0f57c09d452343c86116283c63ef6b" });
    const response = await fetch(`${verifying.baseUrl}${TOKEN_PAGE}?${query}`);

    expect(response.status).toBe(200);
    expect(connectSources(response)).toEqual(["'self'", "blob:", "data:", "http://127.0.0.1:9999", "https://gateway.example:8443"]);
    // One policy: the page's replaces helmet's, never a second header that would intersect with it.
    expect(response.headers.get("content-security-policy")).not.toContain(",");
    const endpoints = await verifyMeta(response);
    expect(endpoints).toEqual({
      rpcUrl: "http://127.0.0.1:9999/rpc",
      gatewayUrl: "https://gateway.example:8443/base",
      factory: getAddress("0x4d3027f20c0f57c09d452343c86116283c63ef6b"),
      factoryFromBlock: "0",
      chainId: 31337,
      platform: { rpcUrl: PLATFORM_RPC, gatewayUrl: null, factory: PLATFORM_FACTORY },
      refused: [],
    });
  });

  test("without a query, a page calls the platform's RPC and its own /ipfs, trusting the platform's factory from its deployment block", async () => {
    const response = await fetch(`${verifying.baseUrl}/audit`);

    expect(connectSources(response)).toEqual(["'self'", "blob:", "data:", "http://127.0.0.1:8545"]);
    const endpoints = await verifyMeta(response);
    expect(endpoints).toMatchObject({ rpcUrl: PLATFORM_RPC, gatewayUrl: null, factory: PLATFORM_FACTORY, factoryFromBlock: "7", refused: [] });
  });

  test.each([
    ["rpc", "javascript:alert(1)", "notHttp"],
    ["rpc", "ws://127.0.0.1:8545", "notHttp"],
    ["gateway", "not a url", "notUrl"],
    ["gateway", "https://user:secret@gateway.example", "hasCredentials"],
    ["gateway", "https://gateway.example/?x=1", "hasQuery"],
    ["factory", "0x1234", "notAddress"],
  ] as const)("a refused ?%s=%s falls back to the platform's endpoint, names the field and reason, and stays out of the CSP", async (field, value, reason) => {
    const response = await fetch(`${verifying.baseUrl}${TOKEN_PAGE}?${new URLSearchParams({ [field]: value })}`);

    expect(response.status).toBe(200);
    expect(connectSources(response)).toEqual(["'self'", "blob:", "data:", "http://127.0.0.1:8545"]);
    const endpoints = await verifyMeta(response);
    expect(endpoints.refused).toEqual([{ field, value, reason }]);
    expect(endpoints).toMatchObject({ rpcUrl: PLATFORM_RPC, gatewayUrl: null, factory: PLATFORM_FACTORY });
  });

  test("the meta's JSON cannot close its attribute: a quote in a chosen URL arrives escaped", async () => {
    const response = await fetch(`${verifying.baseUrl}/audit?${new URLSearchParams({ gateway: 'https://gateway.example/a"><script>x</script>' })}`);
    const html = await response.clone().text();

    expect(html).not.toContain("<script>x</script>");
    expect((await verifyMeta(response)).gatewayUrl).toBe("https://gateway.example/a%22%3E%3Cscript%3Ex%3C/script%3E");
  });
});
