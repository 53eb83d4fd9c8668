import type { BrowserLocale, CatalogueText } from "../support/browserSupport.js";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Address } from "viem";
import type { TestPlatform } from "../support/startTestPlatform.js";

import path from "node:path";

import { createPublicClient, http } from "viem";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { drawSealPng } from "../../server/demo/demoAssets.js";
import { launchChromium, readCatalogues } from "../support/browserSupport.js";
import { createEditionOnChain, createIssuerWithCollection } from "../support/platformFixture.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

/*
 * The issuer console's writes and job list, in Chromium against the real platform: an upload whose answer is
 * lost on the way back (the request reaches the server; the browser sees a network error) and is sent again,
 * and jobs submitted elsewhere (through the API, not this browser) shown with what they wait on. Writes
 * docs/screenshots/console-jobs-*.png.
 */

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const screenshotDir = path.join(repoRoot, "docs", "screenshots");

type Locale = BrowserLocale;

let platform: TestPlatform;
let browser: Browser;
let issuer: { issuerId: string; apiKey: string; collection: Address };
let text: CatalogueText;
const pageErrors: string[] = [];

async function openConsole(locale: Locale, width: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale, baseURL: platform.server.url });
  await context.addInitScript(`sessionStorage.setItem("vermilion.issuerKey", ${JSON.stringify(issuer.apiKey)})`);
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  await page.goto(`/issuer?collection=${issuer.collection}`);
  await page.locator("#jobs-title").waitFor();
  return { context, page };
}

async function editionCountOnChain(): Promise<bigint> {
  const client = createPublicClient({ transport: http(platform.server.rpcUrl) });
  return client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "editionCount" });
}

beforeAll(async () => {
  ({ text } = await readCatalogues());
  platform = await startTestPlatform("console");
  issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!, "Suzhou Museum");
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
  expect(pageErrors).toEqual([]);
});

describe("the issuer console", () => {
  test("an upload whose answer is lost is sent again with the same Idempotency-Key: one edition, in the database and on chain", async () => {
    const { context, page } = await openConsole("en-US", 1280);
    const before = await editionCountOnChain();
    const sentKeys: string[] = [];
    let lostOnce = false;
    await page.route("**/api/collections/*/editions", async (route) => {
      if (route.request().method() !== "POST") return route.fallback();
      sentKeys.push(route.request().headers()["idempotency-key"] ?? "");
      if (lostOnce) return route.fallback();
      lostOnce = true;
      // The request reaches the platform and the edition is made; its answer never reaches the browser.
      const response = await route.fetch();
      expect(response.status()).toBe(201);
      await route.abort("connectionreset");
    });

    await page.setInputFiles("#edition-media", { name: "plum-blossom.png", mimeType: "image/png", buffer: Buffer.from(await drawSealPng()) });
    await page.fill("#edition-name", "Plum Blossom");
    await page.fill("#edition-max", "12");
    await page.getByRole("button", { name: "Create edition" }).click();
    await page.locator("#edition-errors", { hasText: text("en-US", "console.retrySafe") }).waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Create edition" }).click();
    const created = page.locator("[data-edition-created]");
    await created.waitFor({ timeout: 60_000 });

    expect(sentKeys).toHaveLength(2);
    expect(sentKeys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(sentKeys[1]).toBe(sentKeys[0]);
    const { body } = await platform.call<{ editions: Array<{ name: string; editionId: string }> }>("GET", `/api/collections/${issuer.collection}/editions`);
    const plum = body.editions.filter((edition) => edition.name === "Plum Blossom");
    expect(plum).toHaveLength(1);
    expect(await created.getAttribute("data-edition-created")).toBe(plum[0]!.editionId);
    expect(await editionCountOnChain()).toBe(before + 1n);
    await context.close();
  }, 120_000);

  test("a pause whose answer is lost is resent by the console with its key: one pause transaction, and the console says it is paused", async () => {
    const { context, page } = await openConsole("en-US", 1280);
    const client = createPublicClient({ transport: http(platform.server.rpcUrl) });
    const fromBlock = await client.getBlockNumber();
    const sentKeys: string[] = [];
    const replayed: Array<string | null> = [];
    await page.route("**/api/collections/*/pause", async (route) => {
      sentKeys.push(route.request().headers()["idempotency-key"] ?? "");
      const response = await route.fetch();
      replayed.push(response.headers()["idempotent-replayed"] ?? null);
      if (sentKeys.length === 1) return route.abort("connectionreset");
      return route.fulfill({ response });
    });

    await page.getByRole("button", { name: "Pause collection" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Pause collection" }).click();
    await page.getByText("Collection paused.").waitFor({ timeout: 30_000 });

    expect(sentKeys).toHaveLength(2);
    expect(sentKeys[1]).toBe(sentKeys[0]);
    expect(replayed).toEqual([null, "true"]);
    const paused = await client.getContractEvents({ address: issuer.collection, abi: vermilionCollectionAbi, eventName: "Paused", fromBlock });
    expect(paused).toHaveLength(1);
    expect((await platform.call("POST", `/api/collections/${issuer.collection}/unpause`, { key: issuer.apiKey })).status).toBe(200);
    await context.close();
  }, 60_000);

  test("jobs submitted through the API (not this browser) are listed with what they wait on, then complete; EN/ZH, 375/1280", async () => {
    const editionId = await createEditionOnChain(platform.server.rpcUrl, issuer.collection, 10);
    const route = `/api/collections/${issuer.collection}`;
    expect((await platform.call("POST", `${route}/pause`, { key: issuer.apiKey, headers: { "idempotency-key": crypto.randomUUID() } })).status).toBe(200);
    const accepted = await platform.call<{ jobId: string }>("POST", `${route}/editions/${editionId}/mint`, {
      key: issuer.apiKey,
      headers: { "idempotency-key": crypto.randomUUID() },
      body: { to: `0x${"52".repeat(20)}`, quantity: 2 },
    });
    expect(accepted.status).toBe(202);
    const jobId = accepted.body.jobId;
    await expect
      .poll(async () => (await platform.call<{ waiting: { code: string } | null }>("GET", `/api/jobs/${jobId}`, { key: issuer.apiKey })).body.waiting?.code, { timeout: 30_000 })
      .toBe("COLLECTION_PAUSED");

    for (const locale of ["en-US", "zh-CN"] as const) {
      for (const width of [375, 1280]) {
        const { context, page } = await openConsole(locale, width);
        const row = page.locator(`.job[data-job-id="${jobId}"]`);
        await row.locator("[data-waiting=COLLECTION_PAUSED]").waitFor({ timeout: 15_000 });
        // The sentence up to the time (whose format is the locale's).
        const expected = text(locale, "console.jobWaiting", { code: "COLLECTION_PAUSED", since: "\u0000" }).split("\u0000")[0]!;
        expect(await row.locator("[data-waiting]").textContent()).toContain(expected);
        expect(await row.getAttribute("data-state")).toMatch(/^(queued|sending)$/);
        await page.addStyleTag({ content: ".site-header { position: static; }" });
        await page.locator("section[aria-labelledby=jobs-title]").screenshot({ path: path.join(screenshotDir, `console-jobs-${locale === "en-US" ? "en" : "zh"}-${width}.png`) });
        await context.close();
      }
    }

    // The open console follows the job to its end once the collection is unpaused.
    const { context, page } = await openConsole("en-US", 1280);
    expect((await platform.call("POST", `${route}/unpause`, { key: issuer.apiKey })).status).toBe(200);
    const row = page.locator(`.job[data-job-id="${jobId}"]`);
    await row.and(page.locator("[data-state=completed]")).waitFor({ timeout: 60_000 });
    expect(await row.locator("progress").getAttribute("max")).toBe("2");
    expect(await row.locator(".job-numbers").textContent()).toContain("100%");
    await row.locator(".job-detail a").waitFor();
    expect(await row.locator("[data-waiting]").count()).toBe(0);
    await context.close();
  }, 180_000);
});
