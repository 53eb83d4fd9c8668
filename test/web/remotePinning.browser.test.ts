import type { BrowserLocale, CatalogueText } from "../support/browserSupport.js";
import type { Browser } from "playwright-core";
import type { Address } from "viem";
import type { EditionDetailView } from "../../server/views/editionView.js";
import type { PinningService } from "../support/startPinningService.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import path from "node:path";

import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { launchChromium, readCatalogues } from "../support/browserSupport.js";
import { createIssuerWithCollection } from "../support/platformFixture.js";
import { startPinningService } from "../support/startPinningService.js";
import { startTestPlatform } from "../support/startTestPlatform.js";
import { samplePng } from "../storage/mediaSamples.js";

/*
 * The issuer console's edition row shows the edition's remote pinning (against our own implementation of
 * the Pinning Service API, test/support/startPinningService.ts). Writes docs/screenshots/console-remote-pinning-*.png.
 */

const screenshotDir = path.join(path.resolve(import.meta.dirname, "..", ".."), "docs", "screenshots");
const TOKEN = "console-pinning-token";

let service: PinningService;
let platform: TestPlatform;
let browser: Browser;
let issuer: { issuerId: string; apiKey: string; collection: Address };
let text: CatalogueText;
const pageErrors: string[] = [];

beforeAll(async () => {
  ({ text } = await readCatalogues());
  service = await startPinningService({ token: TOKEN });
  platform = await startTestPlatform(
    "console-pinning",
    { PINNING_SERVICE_URL: service.url, PINNING_SERVICE_TOKEN: TOKEN },
    { remotePinning: { backoff: { retryBaseMs: 40, retryMaxMs: 400, pollBaseMs: 40, pollMaxMs: 200 }, idleMs: 50 } },
  );
  issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!, "Palace Museum");
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
  await service?.close();
  expect(pageErrors).toEqual([]);
});

describe("the issuer console's edition row", () => {
  test("shows the edition's remote pinning, pinned for every CID, in English and Chinese", async () => {
    const form = new FormData();
    for (const [name, value] of Object.entries({ name: "Spring Morning in the Han Palace", description: "", maxSupply: "10", royaltyBps: "0", transferPolicy: "free", attributes: "[]", license: "CC0" })) {
      form.append(name, value);
    }
    form.append("media", new Blob([new Uint8Array(samplePng(640, 480))]), "palace.png");
    const created = await fetch(`${platform.server.url}/api/collections/${issuer.collection}/editions`, {
      method: "POST",
      headers: { authorization: `Bearer ${issuer.apiKey}` },
      body: form,
    });
    expect(created.status).toBe(201);
    const { editionId } = (await created.json()) as { editionId: string };
    const deadline = Date.now() + 30_000;
    for (;;) {
      const edition = (await platform.call<EditionDetailView>("GET", `/api/collections/${issuer.collection}/editions/${editionId}`)).body;
      if (edition.remotePinning?.status === "pinned") break;
      if (Date.now() > deadline) throw new Error(`still ${JSON.stringify(edition.remotePinning)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    for (const locale of ["en-US", "zh-CN"] as BrowserLocale[]) {
      const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale, baseURL: platform.server.url });
      await context.addInitScript(`sessionStorage.setItem("vermilion.issuerKey", ${JSON.stringify(issuer.apiKey)})`);
      const page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      await page.goto(`/issuer?collection=${issuer.collection}`);
      const row = page.locator(`details.edition-row[data-edition-id="${editionId}"]`);
      const pinned = text(locale, "pinning.status.pinned");

      await row.locator("summary [data-remote-pinning=pinned]", { hasText: text(locale, "pinning.badge", { status: pinned }) }).waitFor();
      await row.locator("summary").click();
      const pins = row.locator(".remote-pinning-list li");

      expect(await pins.evaluateAll((items) => items.map((item) => item.getAttribute("data-role")))).toEqual(["media", "thumbnail", "metadata"]);
      expect(await pins.locator(".badge").allTextContents()).toEqual([pinned, pinned, pinned]);
      await expect(row.locator(".remote-pinning h3").textContent()).resolves.toBe(text(locale, "pinning.title"));
      // The row's summary down to its pinning section, from the whole page (the sticky header would cover an element shot).
      const scrollY = await page.evaluate<number>("window.scrollY");
      const summary = (await row.locator("summary").boundingBox())!;
      const section = (await row.locator(".remote-pinning").boundingBox())!;
      const box = (await row.boundingBox())!;
      const top = summary.y + scrollY;
      const bottom = section.y + section.height + scrollY;
      await page.screenshot({
        path: path.join(screenshotDir, `console-remote-pinning-${locale === "en-US" ? "en" : "zh"}.png`),
        fullPage: true,
        clip: { x: box.x, y: top, width: box.width, height: bottom - top + 8 },
      });
      await context.close();
    }
  });
});
