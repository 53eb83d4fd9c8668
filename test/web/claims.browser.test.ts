import type { BrowserLocale, CatalogueText } from "../support/browserSupport.js";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Address } from "viem";
import type { ClaimBatchView, ClaimCodeListItem, ClaimView } from "../../server/views/claimView.js";
import type { InjectedWallet } from "../support/injectedWallet.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import path from "node:path";

import { createPublicClient, getAddress, http, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { launchChromium, readCatalogues } from "../support/browserSupport.js";
import { installInjectedWallet } from "../support/injectedWallet.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

/*
 * The claim page in Chromium against the real platform (demo data: named editions with media) and its
 * Anvil. The wallet is test/support/injectedWallet.ts; nothing is intercepted. Writes
 * docs/screenshots/claim-*.png in English and Chinese at 375 and 1280 px.
 */

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const screenshotDir = path.join(repoRoot, "docs", "screenshots");

type Locale = BrowserLocale;

let platform: TestPlatform;
let browser: Browser;
let collection: Address;
let issuerApiKey: string;
let editionId: string;
let text: CatalogueText;
const pageErrors: string[] = [];

function visitor(label: string): Address {
  return getAddress(`0x${keccak256(toHex(`claim-page-${label}`)).slice(-40)}`);
}

async function ownerOf(tokenId: string): Promise<string> {
  const client = createPublicClient({ transport: http(platform.server.rpcUrl) });
  const owner = await client.readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [BigInt(tokenId)] });
  return owner.toLowerCase();
}

/** A fresh batch of `count` codes on the demo's first edition. */
async function newCodes(count: number): Promise<ClaimCodeListItem[]> {
  const batch = await platform.call<ClaimBatchView>("POST", `/api/collections/${collection}/editions/${editionId}/claim-batches`, {
    key: issuerApiKey,
    body: { count, validForSeconds: 3600 },
  });
  expect(batch.status).toBe(201);
  const codes = await platform.call<{ codes: ClaimCodeListItem[] }>("GET", `/api/claim-batches/${batch.body.batchId}/codes`, { key: issuerApiKey });
  return codes.body.codes;
}

async function openClaim(options: { code: string; locale: Locale; width: number; wallet?: boolean }): Promise<{ context: BrowserContext; page: Page; wallet: InjectedWallet | null }> {
  const context = await browser.newContext({ viewport: { width: options.width, height: 900 }, locale: options.locale, baseURL: platform.server.url });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  const wallet = options.wallet
    ? await installInjectedWallet(page, { account: privateKeyToAccount(generatePrivateKey()), rpcUrl: platform.server.rpcUrl })
    : null;
  await page.goto(`/claim/${options.code}`);
  await page.locator("#claim-title, .status-error").first().waitFor();
  return { context, page, wallet };
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.addStyleTag({ content: ".site-header { position: static; }" });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  ({ text } = await readCatalogues());
  platform = await startTestPlatform("claim-page", { RATE_LIMIT_CLAIM: "off" }, { demo: true });
  collection = platform.server.demo!.collection as Address;
  issuerApiKey = platform.server.demo!.issuerApiKey!;
  const editions = await platform.call<{ editions: Array<{ editionId: string; name: string }> }>("GET", `/api/collections/${collection}/editions`);
  editionId = editions.body.editions.find((edition) => edition.name === "Vermilion Seal")!.editionId;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
  expect(pageErrors).toEqual([]);
});

describe("the claim page, in Chromium", () => {
  test("a visitor types an address and claims: the page follows the mint to 'Yours: #…' with the token link; the token is theirs on chain (English, 1280 and 375 px)", async () => {
    const [item] = await newCodes(1);
    const to = visitor("typed");
    const { context, page } = await openClaim({ code: item!.code, locale: "en-US", width: 1280 });
    expect(await page.getByTestId("claim-edition").textContent()).toContain("Vermilion Seal");
    expect(await page.getByTestId("claim-hold").textContent()).toBe(text("en-US", "claims.holdNotice"));
    await screenshot(page, "claim-en-1280");

    // A mistyped address is refused on the page, before anything is sent.
    await page.getByTestId("claim-address").fill("0x1234");
    await page.getByTestId("claim-submit").click();
    await expect.poll(() => page.getByTestId("claim-error").textContent()).toBe(text("en-US", "claims.error.address"));

    await page.getByTestId("claim-address").fill(to);
    await page.getByTestId("claim-submit").click();
    await page.getByTestId("claim-yours").waitFor({ timeout: 60_000 });
    const claim = (await platform.call<ClaimView>("GET", `/api/claims/${item!.code}`)).body;
    expect(claim).toMatchObject({ state: "minted", recipient: to.toLowerCase() });
    expect(await page.getByTestId("claim-yours").textContent()).toBe(text("en-US", "claims.yours", { serial: `#${String(claim.serial).padStart(4, "0")} / 10000` }));
    expect(await page.getByTestId("claim-token-link").getAttribute("href")).toBe(`/tokens/${collection}/${claim.tokenId}`);
    expect(await ownerOf(claim.tokenId!)).toBe(to.toLowerCase());
    await screenshot(page, "claim-en-1280-minted");
    await page.setViewportSize({ width: 375, height: 800 });
    await screenshot(page, "claim-en-375-minted");
    await context.close();
  }, 120_000);

  test("a visitor with a wallet claims with 'use my wallet' (eth_requestAccounts): the token goes to the wallet's account (Chinese, 375 and 1280 px)", async () => {
    const [item] = await newCodes(1);
    const { context, page, wallet } = await openClaim({ code: item!.code, locale: "zh-CN", width: 375, wallet: true });
    expect(await page.locator("#claim-title").textContent()).toBe(text("zh-CN", "claims.title"));
    await screenshot(page, "claim-zh-375");
    await page.getByRole("button", { name: text("zh-CN", "claims.useWallet") }).click();
    await page.getByTestId("claim-yours").waitFor({ timeout: 60_000 });
    expect(wallet!.requests.map((request) => request.method)).toContain("eth_requestAccounts");
    const claim = (await platform.call<ClaimView>("GET", `/api/claims/${item!.code}`)).body;
    expect(claim.recipient).toBe(wallet!.address.toLowerCase());
    expect(await page.getByTestId("claim-yours").textContent()).toBe(text("zh-CN", "claims.yours", { serial: `#${String(claim.serial).padStart(4, "0")} / 10000` }));
    expect(await ownerOf(claim.tokenId!)).toBe(wallet!.address.toLowerCase());
    await screenshot(page, "claim-zh-375-minted");
    await page.setViewportSize({ width: 1280, height: 900 });
    await screenshot(page, "claim-zh-1280-minted");
    await context.close();
  }, 120_000);

  test("a cancelled, an unknown and a malformed code each say why, in the reader's language", async () => {
    const [item] = await newCodes(1);
    const batchId = (await platform.call<{ batches: ClaimBatchView[] }>("GET", `/api/collections/${collection}/editions/${editionId}/claim-batches`, { key: issuerApiKey })).body.batches[0]!.batchId;
    expect((await platform.call("POST", `/api/claim-batches/${batchId}/cancel`, { key: issuerApiKey })).status).toBe(200);
    for (const [code, key, locale] of [
      [item!.code, "claims.error.cancelled", "zh-CN"],
      ["0".repeat(20), "claims.error.notFound", "en-US"],
      ["not-a-code", "claims.error.invalid", "en-US"],
    ] as const) {
      const { context, page } = await openClaim({ code, locale, width: 375 });
      await expect.poll(() => page.locator(".status-error p").textContent()).toBe(text(locale, key));
      expect(await page.getByTestId("claim-address").count()).toBe(0);
      if (key === "claims.error.cancelled") await screenshot(page, "claim-zh-375-cancelled");
      await context.close();
    }
  }, 120_000);

  test("the console's claims panel creates a batch, shows live counts, prints a sheet of QR cards, and cancels a code by number (English 1280, Chinese 375)", async () => {
    for (const [locale, width] of [["en-US", 1280], ["zh-CN", 375]] as const) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, locale, baseURL: platform.server.url });
      await context.addInitScript(`sessionStorage.setItem("vermilion.issuerKey", ${JSON.stringify(issuerApiKey)})`);
      const page = await context.newPage();
      page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
      await page.goto("/issuer");
      const row = page.locator(`details.edition-row[data-edition-id="${editionId}"]`);
      await row.locator("summary").click();
      const panel = row.getByTestId("claims-panel");
      await panel.waitFor();
      const label = `Hall ${locale}`;
      await panel.getByTestId("claim-count").fill("6");
      await panel.locator("input[maxlength='100']").fill(label);
      await panel.getByTestId("claim-create").click();
      const batchRow = panel.locator(".claim-batch", { hasText: label });
      await batchRow.waitFor();
      const counts = (values: Record<string, number>) => text(locale, "claims.console.counts", { open: 0, claimed: 0, minted: 0, expired: 0, cancelled: 0, ...values });
      await expect.poll(() => batchRow.getByTestId("claim-counts").textContent()).toBe(counts({ open: 6 }));
      const batchId = (await batchRow.getAttribute("data-batch-id"))!;

      // A visitor claims code 1 elsewhere: the panel's counts follow without a reload.
      const codes = (await platform.call<{ codes: ClaimCodeListItem[] }>("GET", `/api/claim-batches/${batchId}/codes`, { key: issuerApiKey })).body.codes;
      expect((await platform.call("POST", `/api/claims/${codes[0]!.code}`, { body: { to: visitor(`panel-${locale}`) } })).status).toBe(200);
      await expect.poll(() => batchRow.getByTestId("claim-counts").textContent(), { timeout: 60_000 }).toBe(counts({ open: 5, minted: 1 }));

      await batchRow.locator("input.claim-number").fill("2");
      await batchRow.getByRole("button", { name: text(locale, "claims.console.cancelCode") }).click();
      await page.locator("dialog button[value='confirm']").click();
      await expect.poll(() => batchRow.getByTestId("claim-counts").textContent()).toBe(counts({ open: 4, minted: 1, cancelled: 1 }));
      expect((await platform.call("POST", `/api/claims/${codes[1]!.code}`, { body: { to: visitor("late") } })).status).toBe(410);
      await page.addStyleTag({ content: ".site-header { position: static; }" });
      await panel.screenshot({ path: path.join(screenshotDir, `claim-console-${locale === "en-US" ? "en" : "zh"}-${width}.png`) });

      // The sheet: a card per open code (4), each with its QR code, code text and number; printed alone.
      await batchRow.getByTestId("claim-print").click();
      const sheet = page.getByTestId("claim-sheet");
      await sheet.waitFor();
      await expect.poll(() => sheet.locator(".claim-card .qr svg").count()).toBe(4);
      expect(await sheet.locator(".claim-card").evaluateAll((cards) => cards.map((card) => card.getAttribute("data-number")))).toEqual(["3", "4", "5", "6"]);
      expect(await sheet.locator(".claim-card-code").first().textContent()).toBe(codes[2]!.code.match(/.{5}/g)!.join("-"));
      await page.emulateMedia({ media: "print" });
      expect(await page.locator(".site-header").isVisible()).toBe(false);
      await page.screenshot({ path: path.join(screenshotDir, `claim-sheet-${locale === "en-US" ? "en" : "zh"}-${width}.png`), fullPage: true });
      await context.close();
    }
  }, 240_000);

  test("the same code opened in two browsers at once yields one token: the second sees it held elsewhere, and a claim forced from it is refused", async () => {
    const [item] = await newCodes(1);
    const [first, second] = await Promise.all([
      openClaim({ code: item!.code, locale: "en-US", width: 375 }),
      openClaim({ code: item!.code, locale: "zh-CN", width: 1280 }),
    ]);
    const hasForm = async (page: Page) => (await page.getByTestId("claim-address").count()) === 1;
    const [firstHasForm, secondHasForm] = await Promise.all([hasForm(first.page), hasForm(second.page)]);
    expect([firstHasForm, secondHasForm].filter(Boolean)).toHaveLength(1);
    const [holder, other, otherLocale] = firstHasForm ? [first, second, "zh-CN" as const] : [second, first, "en-US" as const];
    await other.page.getByTestId("claim-held-elsewhere").waitFor();
    await screenshot(other.page, otherLocale === "zh-CN" ? "claim-zh-1280-held" : "claim-en-375-held");

    // The other browser submits anyway (a photo of the card, typed by someone else): refused as held.
    const forced = await other.page.evaluate(async ([code, to]) => {
      const response = await fetch(`/api/claims/${code}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ to }) });
      return { status: response.status, code: ((await response.json()) as { error?: { code?: string } }).error?.code };
    }, [item!.code, visitor("photo")] as const);
    expect(forced).toEqual({ status: 409, code: "CLAIM_CODE_HELD" });

    const to = visitor("holder");
    await holder.page.getByTestId("claim-address").fill(to);
    await holder.page.getByTestId("claim-submit").click();
    await holder.page.getByTestId("claim-yours").waitFor({ timeout: 60_000 });
    // The other page notices the code is taken and shows whose it became, never a form.
    await other.page.getByTestId("claim-progress").waitFor({ timeout: 30_000 });
    await expect.poll(() => other.page.getByTestId("claim-progress").getAttribute("data-state"), { timeout: 30_000 }).toBe("minted");
    expect(await other.page.getByTestId("claim-address").count()).toBe(0);
    const claim = (await platform.call<ClaimView>("GET", `/api/claims/${item!.code}`)).body;
    expect(claim).toMatchObject({ state: "minted", recipient: to.toLowerCase() });
    expect(await ownerOf(claim.tokenId!)).toBe(to.toLowerCase());
    const batch = await platform.call<{ batches: ClaimBatchView[] }>("GET", `/api/collections/${collection}/editions/${editionId}/claim-batches`, { key: issuerApiKey });
    expect(batch.body.batches[0]!.counts).toMatchObject({ minted: 1, open: 0, held: 0 });
    await Promise.all([first.context.close(), second.context.close()]);
  }, 150_000);
});
