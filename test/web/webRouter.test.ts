import type { ListeningServer } from "../support/listen.js";

import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";

import pino from "pino";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { createApp } from "../../server/app.js";
import { createWebRouter } from "../../server/web/webRouter.js";
import { listen } from "../support/listen.js";

const logger = pino({ level: "silent" });
let distDir: string;
let built: ListeningServer;
let unbuilt: ListeningServer;

beforeAll(async () => {
  distDir = await mkdtemp(path.join(os.tmpdir(), "vermilion-web-dist-"));
  await mkdir(path.join(distDir, "assets"));
  await writeFile(path.join(distDir, "index.html"), "<!doctype html><title>Vermilion</title><div id=app></div>");
  await writeFile(path.join(distDir, "assets", "index-abc123.js"), "console.log('app')");
  await writeFile(path.join(distDir, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  built = await listen(createApp({ logger, routers: [createWebRouter({ distDir })] }));
  unbuilt = await listen(createApp({ logger, routers: [createWebRouter({ distDir: path.join(distDir, "missing") })] }));
});

afterAll(async () => {
  await built.close();
  await unbuilt.close();
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
});
