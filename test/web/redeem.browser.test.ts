import type { BrowserLocale, CatalogueText } from "../support/browserSupport.js";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Address, LocalAccount } from "viem";
import type { IssuedVoucherView, VoucherView } from "../../server/views/voucherView.js";
import type { InjectedWallet } from "../support/injectedWallet.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import { mkdir } from "node:fs/promises";
import path from "node:path";

import { createPublicClient, getAddress, http, keccak256, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { samplePng } from "../storage/mediaSamples.js";
import { launchChromium, readCatalogues } from "../support/browserSupport.js";
import { installInjectedWallet } from "../support/injectedWallet.js";
import { createIssuerWithCollection } from "../support/platformFixture.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

/*
 * Voucher links in Chromium against the real platform and its Anvil: a recipient redeems with an injected wallet
 * (test/support/injectedWallet.ts: signs in the test process, forwards the rest to the chain, nothing stubbed)
 * paying gas; another through the platform's relay, without a wallet; a voucher cancelled while its page is open
 * is refused with a sentence. Writes docs/screenshots/redeem-*.png.
 */

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const screenshotDir = path.join(repoRoot, "docs", "screenshots");

type Locale = BrowserLocale;

let platform: TestPlatform;
let browser: Browser;
let issuer: { apiKey: string; collection: Address };
let editionId: string;
let text: CatalogueText;
const pageErrors: string[] = [];

function publicClient() {
  return createPublicClient({ transport: http(platform.server.rpcUrl) });
}

async function ownerOf(tokenId: bigint): Promise<Address> {
  return publicClient().readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [tokenId] });
}

async function issueVoucher(to: Address): Promise<IssuedVoucherView> {
  const issued = await platform.call<IssuedVoucherView>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/vouchers`, { key: issuer.apiKey, body: { to, quantity: 1 } });
  expect(issued.status).toBe(201);
  return issued.body;
}

/** A new account with 1 ETH for gas, as a collector's wallet would hold. */
async function fundedAccount(): Promise<LocalAccount> {
  const account = privateKeyToAccount(generatePrivateKey());
  await publicClient().request({ method: "anvil_setBalance" as never, params: [account.address, "0xde0b6b3a7640000"] as never });
  return account;
}

async function openLink(link: string, options: { locale: Locale; width: number; walletAccount: LocalAccount | null }): Promise<{ context: BrowserContext; page: Page; wallet: InjectedWallet | null }> {
  const context = await browser.newContext({ viewport: { width: options.width, height: 900 }, locale: options.locale, baseURL: platform.server.url });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  const wallet = options.walletAccount ? await installInjectedWallet(page, { account: options.walletAccount, rpcUrl: platform.server.rpcUrl }) : null;
  await page.goto(link);
  await page.getByTestId("voucher-state").waitFor();
  return { context, page, wallet };
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  await mkdir(screenshotDir, { recursive: true });
  ({ text } = await readCatalogues());
  platform = await startTestPlatform("redeem-page");
  issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!, "Suzhou Museum");
  const form = new FormData();
  for (const [field, value] of Object.entries({ name: "Plum Blossom Scroll", description: "Ming dynasty, ink on silk", maxSupply: "10", license: "CC BY 4.0" })) form.append(field, value);
  form.append("media", new Blob([new Uint8Array(samplePng(64, 64))]), "plum.png");
  const created = await fetch(`${platform.server.url}/api/collections/${issuer.collection}/editions`, { method: "POST", headers: { authorization: `Bearer ${issuer.apiKey}` }, body: form });
  expect(created.status).toBe(201);
  editionId = String(((await created.json()) as { editionId: string }).editionId);
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
  expect(pageErrors).toEqual([]);
});

/** Polls the API until the index has seen the voucher's mint (its token ids), as the page then shows them. */
async function waitForIndexedRedemption(nonce: string): Promise<VoucherView> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const voucher = await platform.call<VoucherView>("GET", `/api/collections/${issuer.collection}/vouchers/${nonce}`);
    if (voucher.body.tokenIds) return voucher.body;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`voucher ${nonce}'s redemption was never indexed`);
}

describe("the redeem page (/redeem?…), in Chromium", () => {
  test("the recipient opens the link, sees the edition, the serial it will get and the deadline, and redeems with its wallet, paying gas (English, 1280 px); the link later shows it redeemed (Chinese)", async () => {
    const collector = await fundedAccount();
    const issued = await issueVoucher(collector.address);
    const { context, page, wallet } = await openLink(issued.link, { locale: "en-US", width: 1280, walletAccount: collector });

    expect(await page.getByTestId("voucher-state").getAttribute("data-state")).toBe("open");
    expect(await page.getByTestId("voucher-state").textContent()).toBe(text("en-US", "vouchers.state.open"));
    expect(await page.locator("h1").textContent()).toBe("Plum Blossom Scroll");
    const nextSerial = Number((await platform.call<{ mintedCount: number }>("GET", `/api/collections/${issuer.collection}/editions/${editionId}`)).body.mintedCount) + 1;
    expect(await page.getByTestId("voucher-serial").textContent()).toBe(text("en-US", "vouchers.serialOne", { serial: `#${nextSerial} / 10` }));
    expect(await page.getByTestId("voucher-recipient").getAttribute("title")).toBe(collector.address.toLowerCase());
    expect(await page.getByTestId("voucher-deadline").textContent()).toMatch(/\d{4}/);
    await screenshot(page, "redeem-open-en");

    await page.getByRole("button", { name: text("en-US", "vouchers.walletButton") }).click();
    const done = page.getByTestId("redeem-done");
    await done.waitFor({ timeout: 60_000 });
    const tokenId = BigInt(Number(editionId) * 1_000_000 + nextSerial);
    expect(await done.locator("a").first().getAttribute("href")).toBe(`/tokens/${issuer.collection}/${tokenId}`);
    expect(await done.locator("a").first().textContent()).toBe(`#${nextSerial} / 10`);
    expect(await page.getByTestId("voucher-state").getAttribute("data-state")).toBe("redeemed");
    // On chain: minted to the recipient, by a transaction its wallet sent after checking it with eth_call.
    expect(await ownerOf(tokenId)).toBe(collector.address);
    const methods = wallet!.requests.map((request) => request.method);
    expect(methods.indexOf("eth_call")).toBeGreaterThan(-1);
    expect(methods.indexOf("eth_call")).toBeLessThan(methods.indexOf("eth_sendTransaction"));
    expect(await publicClient().getBalance({ address: collector.address })).toBeLessThan(10n ** 18n);
    await screenshot(page, "redeem-done-en");
    await context.close();

    // The same link, opened again in Chinese once indexed: redeemed, with its token.
    await waitForIndexedRedemption(issued.voucher.nonce);
    const again = await openLink(issued.link, { locale: "zh-CN", width: 1280, walletAccount: null });
    expect(await again.page.getByTestId("voucher-state").textContent()).toBe(text("zh-CN", "vouchers.state.redeemed"));
    expect(await again.page.getByTestId("voucher-explanation").textContent()).toBe(text("zh-CN", "vouchers.explain.redeemed"));
    expect(await again.page.getByTestId("redeem-done").locator("a").first().getAttribute("href")).toBe(`/tokens/${issuer.collection}/${tokenId}`);
    expect(await again.page.getByRole("button", { name: text("zh-CN", "vouchers.relayButton") }).count()).toBe(0);
    await screenshot(again.page, "redeem-redeemed-zh-CN");
    await again.context.close();
  }, 180_000);

  test("without a wallet, the recipient lets the platform send it: the relay mints to the voucher's recipient (Chinese, 375 px)", async () => {
    const recipient = getAddress(`0x${keccak256(toHex("relay-recipient")).slice(-40)}`);
    const issued = await issueVoucher(recipient);
    const { context, page } = await openLink(issued.link, { locale: "zh-CN", width: 375, walletAccount: null });
    expect(await page.getByTestId("voucher-state").textContent()).toBe(text("zh-CN", "vouchers.state.open"));
    expect(await page.getByTestId("redeem-no-wallet").textContent()).toBe(text("zh-CN", "vouchers.noWallet"));
    expect(await page.getByRole("button", { name: text("zh-CN", "vouchers.walletButton") }).isDisabled()).toBe(true);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await screenshot(page, "redeem-open-375-zh-CN");

    await page.getByRole("button", { name: text("zh-CN", "vouchers.relayButton") }).click();
    const done = page.getByTestId("redeem-done");
    await done.waitFor({ timeout: 60_000 });
    expect(await done.locator("p").first().textContent()).toContain(text("zh-CN", "vouchers.done"));
    const tokenId = BigInt((await done.locator("a").first().getAttribute("data-token-id"))!);
    expect(await ownerOf(tokenId)).toBe(recipient);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await screenshot(page, "redeem-done-375-zh-CN");
    await context.close();
  }, 120_000);

  test("a voucher cancelled while its page is open: the wallet's check is refused and the page says why in a sentence, sending nothing (English, 375 px)", async () => {
    const collector = await fundedAccount();
    const issued = await issueVoucher(collector.address);
    const { context, page, wallet } = await openLink(issued.link, { locale: "en-US", width: 375, walletAccount: collector });
    expect(await page.getByTestId("voucher-state").getAttribute("data-state")).toBe("open");
    const cancelled = await platform.call("POST", `/api/collections/${issuer.collection}/vouchers/${issued.voucher.nonce}/cancel`, { key: issuer.apiKey });
    expect(cancelled.status).toBe(200);

    await page.getByRole("button", { name: text("en-US", "vouchers.walletButton") }).click();
    await expect.poll(() => page.getByTestId("redeem-error").textContent(), { timeout: 30_000 }).toBe(text("en-US", "vouchers.error.cancelled"));
    expect(wallet!.requests.some((request) => request.method === "eth_sendTransaction")).toBe(false);
    // And through the relay: the platform's code, the same sentence.
    await page.getByRole("button", { name: text("en-US", "vouchers.relayButton") }).click();
    await expect.poll(() => page.getByTestId("redeem-error").textContent(), { timeout: 30_000 }).toBe(text("en-US", "vouchers.error.cancelled"));

    await page.reload();
    await page.getByTestId("voucher-state").waitFor();
    expect(await page.getByTestId("voucher-state").getAttribute("data-state")).toBe("cancelled");
    expect(await page.getByTestId("voucher-explanation").textContent()).toBe(text("en-US", "vouchers.explain.cancelled"));
    expect(await page.getByRole("button", { name: text("en-US", "vouchers.walletButton") }).count()).toBe(0);
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await screenshot(page, "redeem-cancelled-375-en");
    await context.close();
  }, 120_000);

  test("a link missing its signature says which fields are wrong; a link whose recipient was edited is refused before anything is tried", async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US", baseURL: platform.server.url });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(`/redeem?chain=31337&collection=${issuer.collection}&editionId=${editionId}&to=0x${"11".repeat(20)}&quantity=1&nonce=5&deadline=99`);
    await expect.poll(() => page.locator("main p").first().textContent()).toBe(text("en-US", "vouchers.invalidBody", { fields: "signature" }));

    const issued = await issueVoucher(getAddress(`0x${keccak256(toHex("edited-link")).slice(-40)}`));
    const edited = new URL(issued.link, platform.server.url);
    edited.searchParams.set("to", `0x${"66".repeat(20)}`);
    await page.goto(edited.pathname + edited.search);
    await expect.poll(() => page.locator("main p").first().textContent()).toBe(text("en-US", "vouchers.tampered"));
    expect(await page.getByRole("button", { name: text("en-US", "vouchers.relayButton") }).count()).toBe(0);
    await context.close();
  }, 60_000);
});

describe("the console's voucher panel, in Chromium", () => {
  async function openConsole(locale: Locale, width: number): Promise<{ context: BrowserContext; page: Page; panel: ReturnType<Page["getByTestId"]> }> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale, baseURL: platform.server.url });
    await context.addInitScript(`sessionStorage.setItem("vermilion.issuerKey", ${JSON.stringify(issuer.apiKey)})`);
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(`/issuer?collection=${issuer.collection}`);
    const row = page.locator(`details.edition-row[data-edition-id="${editionId}"]`);
    await row.locator("summary").click();
    const panel = row.getByTestId("voucher-panel");
    await panel.getByRole("button", { name: text(locale, "vouchers.console.showList") }).click();
    return { context, page, panel };
  }

  test("the issuer signs a voucher and gets its link and QR code; the list shows it open, then cancelled after a confirmed cancel (English 1280 px, Chinese 375 px)", async () => {
    const recipient = getAddress(`0x${keccak256(toHex("console-recipient")).slice(-40)}`);
    const { context, page, panel } = await openConsole("en-US", 1280);
    await page.fill(`#voucher-to-${editionId}`, recipient);
    await panel.getByRole("button", { name: text("en-US", "mint.signVoucher") }).click();
    const signed = panel.getByTestId("voucher-signed");
    await signed.getByText(text("en-US", "mint.voucherSigned")).waitFor({ timeout: 30_000 });
    const href = (await signed.locator("a").getAttribute("href"))!;
    const nonce = new URL(href, platform.server.url).searchParams.get("nonce")!;
    await signed.locator(".qr svg").waitFor();
    const listed = panel.locator(`li.voucher-row[data-nonce="${nonce}"]`);
    await listed.waitFor();
    expect(await listed.getAttribute("data-state")).toBe("open");
    await page.addStyleTag({ content: ".site-header { position: static; }" });
    await panel.screenshot({ path: path.join(screenshotDir, "redeem-console-en.png") });

    // The link is the redeem page's.
    const view = await platform.call<VoucherView>("GET", `/api/collections/${issuer.collection}/vouchers/${nonce}`);
    expect(view.body).toMatchObject({ state: "open", recipient: recipient.toLowerCase() });

    await listed.getByRole("button", { name: text("en-US", "vouchers.console.cancel") }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText(text("en-US", "vouchers.console.cancelTitle")).waitFor();
    await dialog.getByRole("button", { name: text("en-US", "vouchers.console.cancel") }).click();
    await panel.getByText(text("en-US", "vouchers.console.cancelled")).waitFor({ timeout: 30_000 });
    expect(await panel.locator(`li.voucher-row[data-nonce="${nonce}"]`).getAttribute("data-state")).toBe("cancelled");
    expect((await platform.call<VoucherView>("GET", `/api/collections/${issuer.collection}/vouchers/${nonce}`)).body.state).toBe("cancelled");
    await context.close();

    const chinese = await openConsole("zh-CN", 375);
    await chinese.panel.locator(`li.voucher-row[data-nonce="${nonce}"]`).waitFor();
    expect(await chinese.panel.locator(`li.voucher-row[data-nonce="${nonce}"] [data-testid=voucher-state]`).textContent()).toBe(text("zh-CN", "vouchers.state.cancelled"));
    await chinese.page.selectOption(`#voucher-filter-${editionId}`, "cancelled");
    await expect.poll(() => chinese.panel.locator("li.voucher-row:not([data-state=cancelled])").count()).toBe(0);
    expect(await chinese.page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await chinese.page.addStyleTag({ content: ".site-header { position: static; }" });
    await chinese.panel.screenshot({ path: path.join(screenshotDir, "redeem-console-375-zh-CN.png") });
    await chinese.context.close();
  }, 120_000);
});
