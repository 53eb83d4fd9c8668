import type { BrowserLocale, CatalogueText } from "../support/browserSupport.js";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Address } from "viem";
import type { StartAnvilReturnType } from "../../server/chain/startAnvil.js";
import type { InjectedWallet } from "../support/injectedWallet.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import path from "node:path";

import { createPublicClient, http, parseEther, toHex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { startAnvil } from "../../server/chain/startAnvil.js";
import { drawSealPng } from "../../server/demo/demoAssets.js";
import { encodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { launchChromium, readCatalogues } from "../support/browserSupport.js";
import { installInjectedWallet } from "../support/injectedWallet.js";
import { createIssuerWithCollection, waitForJob } from "../support/platformFixture.js";
import { rpc } from "../support/rpc.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

/*
 * Gifting (转赠) from the token page and the owner page, in Chromium, against the real platform and its chain:
 * the wallet is test/support/injectedWallet.ts (signs in the test process, forwards the rest to the chain), so
 * every simulation, revert and transfer is the contract's own. Writes docs/screenshots/gift-*.png.
 */

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const screenshotDir = path.join(repoRoot, "docs", "screenshots");
const HOLD_SECONDS = 30 * 24 * 3600;

type Locale = BrowserLocale;

let platform: TestPlatform;
/** A second chain the wallet may start on: the gift form must switch it to the token's. */
let otherChain: StartAnvilReturnType;
let browser: Browser;
let issuer: { apiKey: string; collection: Address };
const holderA = privateKeyToAccount(generatePrivateKey());
const holderB = privateKeyToAccount(generatePrivateKey());
/** Holds a free token but no ETH, until the last test funds it. */
const holderC = privateKeyToAccount(generatePrivateKey());
const tokens = { freeFirst: "", freeSecond: "", held: "", soulbound: "", unfunded: "" };
let text: CatalogueText;
const pageErrors: string[] = [];

async function ownerOnChain(tokenId: string): Promise<string> {
  const client = createPublicClient({ transport: http(platform.server.rpcUrl) });
  const owner = await client.readContract({ address: issuer.collection, abi: vermilionCollectionAbi, functionName: "ownerOf", args: [BigInt(tokenId)] });
  return owner.toLowerCase();
}

/** An edition made the issuer's way (multipart upload), with its transfer policy. */
async function createEdition(name: string, transferPolicy: "free" | "hold" | "soulbound"): Promise<string> {
  const form = new FormData();
  form.append("name", name);
  form.append("description", `A ${transferPolicy} edition for the gifting tests.`);
  form.append("maxSupply", "10");
  form.append("transferPolicy", transferPolicy);
  if (transferPolicy === "hold") form.append("holdSeconds", String(HOLD_SECONDS));
  form.append("media", new Blob([new Uint8Array(await drawSealPng())], { type: "image/png" }), "seal.png");
  const response = await fetch(`${platform.server.url}/api/collections/${issuer.collection}/editions`, {
    method: "POST",
    headers: { authorization: `Bearer ${issuer.apiKey}` },
    body: form,
  });
  const body = (await response.json()) as { editionId: string };
  if (response.status !== 201) throw new Error(`edition ${name}: ${response.status} ${JSON.stringify(body)}`);
  return body.editionId;
}

/** Mints `quantity` to `to` through the API and waits until the index shows the last token owned. */
async function mint(editionId: string, to: Address, quantity: number): Promise<string[]> {
  const accepted = await platform.call<{ jobId: string }>("POST", `/api/collections/${issuer.collection}/editions/${editionId}/mint`, {
    key: issuer.apiKey,
    headers: { "idempotency-key": `gift-${editionId}-${to}` },
    body: { to, quantity },
  });
  const job = await waitForJob(platform.call, issuer.apiKey, accepted.body.jobId, 90_000);
  if (accepted.status !== 202 || job.state !== "completed") throw new Error(`mint ${editionId}: ${accepted.status} ${JSON.stringify(job)}`);
  const ids = Array.from({ length: quantity }, (_, index) => encodeTokenId(BigInt(editionId), index + 1).toString());
  // The index catches up a moment after the receipt (expect.poll belongs to tests, not to beforeAll).
  const route = `/api/tokens/${issuer.collection}/${ids.at(-1)}`;
  for (let attempt = 0; (await platform.call<{ token?: { owner: string } }>("GET", route)).body?.token?.owner !== to.toLowerCase(); attempt += 1) {
    if (attempt > 300) throw new Error(`${route} not indexed as ${to}'s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return ids;
}

async function openPage(options: {
  path: string;
  locale: Locale;
  width: number;
  account: typeof holderA;
  /** Whether the page may already see the account (eth_accounts), as after an earlier visit. */
  connected: boolean;
  /** The wallet's chains, the first where it starts; default the platform's only. */
  walletChains?: string[];
}): Promise<{ context: BrowserContext; page: Page; wallet: InjectedWallet }> {
  const context = await browser.newContext({ viewport: { width: options.width, height: 900 }, locale: options.locale, baseURL: platform.server.url });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  const chains = options.walletChains ?? [platform.server.rpcUrl];
  const wallet = await installInjectedWallet(page, { account: options.account, rpcUrl: chains[0]!, switchableRpcUrls: chains.slice(1), connected: options.connected });
  await page.goto(options.path);
  // Attached, not visible: on the owner page the panels sit in closed <details>.
  await page.getByTestId("gift-panel").first().waitFor({ state: "attached" });
  // The sticky header would cover what a screenshot scrolls to.
  await page.addStyleTag({ content: ".site-header { position: static; }" });
  return { context, page, wallet };
}

/** The gift section in view, as its reader sees it, at the page's width. */
async function screenshot(page: Page, name: string, target = page.getByTestId("gift-panel").first()): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  await page.evaluate("window.scrollBy(0, -120)");
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

function methods(wallet: InjectedWallet): string[] {
  return wallet.requests.map((request) => request.method);
}

beforeAll(async () => {
  ({ text } = await readCatalogues());
  [platform, otherChain] = await Promise.all([startTestPlatform("gifting"), startAnvil({ chainId: 1337 })]);
  issuer = await createIssuerWithCollection(platform.call, platform.server.firstAdminApiKey!, "Gifting Museum 赠礼馆");
  // The holders pay their own gas, as collectors do.
  for (const holder of [holderA, holderB]) await rpc(platform.server.rpcUrl, "anvil_setBalance", [holder.address, toHex(parseEther("1"))]);
  const free = await createEdition("Plum Blossom", "free");
  const held = await createEdition("Bamboo in Wind", "hold");
  const soulbound = await createEdition("Scholar's Seal", "soulbound");
  [tokens.freeFirst, tokens.freeSecond] = (await mint(free, holderA.address, 2)) as [string, string];
  [tokens.held] = (await mint(held, holderB.address, 1)) as [string];
  [tokens.soulbound] = (await mint(soulbound, holderB.address, 1)) as [string];
  [tokens.unfunded] = (await mint(await createEdition("Paper Crane", "free"), holderC.address, 1)) as [string];
  browser = await launchChromium();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([platform?.stop(), otherChain?.stop()]);
  expect(pageErrors).toEqual([]);
});

describe("gifting a token from the holder's wallet, in Chromium against the test chain", () => {
  test("a holder connects, is told a bad address, declines once (nothing sent), then gives a free token: the page shows the new owner", async () => {
    const recipient = privateKeyToAccount(generatePrivateKey()).address;
    const { context, page, wallet } = await openPage({ path: `/tokens/${issuer.collection}/${tokens.freeFirst}`, locale: "en-US", width: 1280, account: holderA, connected: false });
    expect(await page.locator("#gift-title").textContent()).toBe(text("en-US", "gifting.title"));
    await page.getByRole("button", { name: text("en-US", "gifting.connect") }).click();
    const input = page.getByLabel(text("en-US", "gifting.recipientLabel"));
    await input.waitFor();
    const give = page.getByRole("button", { name: text("en-US", "gifting.submit"), exact: true });
    expect(await give.isDisabled()).toBe(false);

    // A checksum typo (one letter's case flipped) is caught before anything reaches the wallet.
    const typo = recipient.replace(/[a-fA-F]/, (letter) => (letter === letter.toLowerCase() ? letter.toUpperCase() : letter.toLowerCase()));
    await input.fill(typo);
    await give.click();
    await expect.poll(() => page.getByTestId("gift-error").textContent()).toBe(text("en-US", "gifting.recipientChecksum"));
    expect(methods(wallet)).not.toContain("eth_sendTransaction");

    await input.fill(recipient);
    await screenshot(page, "gift-free-en-1280");
    wallet.setAnswer("eth_sendTransaction", "reject");
    await give.click();
    await expect.poll(() => page.getByTestId("gift-error").getAttribute("data-failure"), { timeout: 30_000 }).toBe("rejected");
    expect(await page.getByTestId("gift-error").textContent()).toBe(text("en-US", "gifting.errorRejected"));
    expect(await ownerOnChain(tokens.freeFirst)).toBe(holderA.address.toLowerCase());

    wallet.setAnswer("eth_sendTransaction", "approve");
    await give.click();
    const done = page.getByTestId("gift-done");
    await done.waitFor({ timeout: 90_000 });
    expect(await done.getAttribute("data-new-owner")).toBe(recipient.toLowerCase());
    expect(await done.textContent()).toBe(text("en-US", "gifting.done", { owner: recipient.toLowerCase() }));
    expect(await page.getByTestId("owner").locator("a").getAttribute("title")).toBe(recipient.toLowerCase());
    expect(await ownerOnChain(tokens.freeFirst)).toBe(recipient.toLowerCase());
    // The chain was asked first: a simulation (eth_call) before the wallet was asked to send.
    const calls = methods(wallet);
    expect(calls.lastIndexOf("eth_call")).toBeLessThan(calls.lastIndexOf("eth_sendTransaction"));
    await screenshot(page, "gift-free-done-en-1280");
    await context.close();
  }, 180_000);

  test("a held token shows when it unlocks and its button is disabled; a forced attempt is refused by the chain in a Chinese sentence with that date", async () => {
    const { context, page, wallet } = await openPage({ path: `/tokens/${issuer.collection}/${tokens.held}`, locale: "zh-CN", width: 375, account: holderB, connected: true });
    const held = page.getByTestId("gift-held");
    await held.waitFor();
    const unlocksAt = Number(await held.getAttribute("data-unlocks-at"));
    const minted = await platform.call<{ token: { lockedUntil: number } }>("GET", `/api/tokens/${issuer.collection}/${tokens.held}`);
    expect(unlocksAt).toBe(minted.body.token.lockedUntil);
    expect(unlocksAt).toBeGreaterThan(Date.now() / 1000 + HOLD_SECONDS - 3600);
    const date = (await page.evaluate(`new Intl.DateTimeFormat("zh-CN", { dateStyle: "medium", timeStyle: "short" }).format(new Date(${unlocksAt} * 1000))`)) as string;
    expect(await held.textContent()).toBe(text("zh-CN", "gifting.heldUntil", { date, duration: "30天" }));
    const give = page.getByRole("button", { name: text("zh-CN", "gifting.submit"), exact: true });
    expect(await give.isDisabled()).toBe(true);
    expect(await give.getAttribute("aria-describedby")).toBe(await held.getAttribute("id"));
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await screenshot(page, "gift-held-zh-CN-375");

    // Forced: the button enabled by hand. The page still asks the chain, which refuses with TokenLocked.
    await page.getByLabel(text("zh-CN", "gifting.recipientLabel")).fill(holderA.address);
    await give.evaluate((button) => button.removeAttribute("disabled"));
    await give.click();
    const error = page.getByTestId("gift-error");
    await expect.poll(() => error.getAttribute("data-failure"), { timeout: 30_000 }).toBe("tokenLocked");
    expect(await error.textContent()).toBe(text("zh-CN", "gifting.errorLocked", { date }));
    expect(methods(wallet)).toContain("eth_call");
    expect(methods(wallet)).not.toContain("eth_sendTransaction");
    expect(await give.isDisabled()).toBe(true);
    expect(await ownerOnChain(tokens.held)).toBe(holderB.address.toLowerCase());
    await screenshot(page, "gift-held-refused-zh-CN-375");
    await context.close();

    const english = await openPage({ path: `/tokens/${issuer.collection}/${tokens.held}`, locale: "en-US", width: 1280, account: holderB, connected: true });
    await english.page.getByTestId("gift-held").waitFor();
    expect(await english.page.getByRole("button", { name: text("en-US", "gifting.submit"), exact: true }).isDisabled()).toBe(true);
    await screenshot(english.page, "gift-held-en-1280");
    await english.context.close();
  }, 120_000);

  test("a soulbound token explains why it cannot move, with no form, in English and Chinese", async () => {
    for (const [locale, width] of [
      ["en-US", 375],
      ["zh-CN", 1280],
    ] as const) {
      const { context, page, wallet } = await openPage({ path: `/tokens/${issuer.collection}/${tokens.soulbound}`, locale, width, account: holderB, connected: true });
      expect(await page.getByTestId("gift-panel").getAttribute("data-giftability")).toBe("soulbound");
      expect(await page.getByTestId("gift-soulbound").textContent()).toBe(text(locale, "gifting.soulbound"));
      expect(await page.locator("#gift-title").textContent()).toBe(text(locale, "gifting.titleSoulbound"));
      expect(await page.getByLabel(text(locale, "gifting.recipientLabel")).count()).toBe(0);
      expect(await page.getByRole("button", { name: text(locale, "gifting.submit"), exact: true }).count()).toBe(0);
      expect(methods(wallet)).not.toContain("eth_sendTransaction");
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(width);
      await screenshot(page, `gift-soulbound-${locale === "en-US" ? "en" : "zh-CN"}-${width}`);
      await context.close();
    }
    // Without a wallet too: the explanation is about the token, not about who reads it.
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "zh-CN", baseURL: platform.server.url });
    const page = await context.newPage();
    page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
    await page.goto(`/tokens/${issuer.collection}/${tokens.soulbound}`);
    await page.getByTestId("gift-soulbound").waitFor();
    expect(await page.getByTestId("gift-soulbound").textContent()).toBe(text("zh-CN", "gifting.soulbound"));
    // A free token has no gift section for a browser without a wallet: there is nothing it could do.
    await page.goto(`/tokens/${issuer.collection}/${tokens.freeSecond}`);
    await page.getByTestId("serial").waitFor();
    expect(await page.getByTestId("gift-panel").count()).toBe(0);
    await context.close();
  }, 60_000);

  test("the owner page offers the gift per token: a wallet on another chain is switched and the token given (Chinese); English at 375 px", async () => {
    const english = await openPage({ path: `/owners/${holderB.address}`, locale: "en-US", width: 375, account: holderB, connected: true });
    const heldCard = english.page.locator(`.owner-token[data-token-id="${tokens.held}"]`);
    await heldCard.locator("summary").click();
    await heldCard.getByTestId("gift-held").waitFor();
    expect(await heldCard.getByRole("button", { name: text("en-US", "gifting.submit"), exact: true }).isDisabled()).toBe(true);
    const soulCard = english.page.locator(`.owner-token[data-token-id="${tokens.soulbound}"]`);
    await soulCard.locator("summary").click();
    expect(await soulCard.getByTestId("gift-soulbound").textContent()).toBe(text("en-US", "gifting.soulbound"));
    expect(await english.page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await screenshot(english.page, "gift-owner-en-375", heldCard);
    await english.context.close();

    const recipient = privateKeyToAccount(generatePrivateKey()).address;
    const { context, page, wallet } = await openPage({
      path: `/owners/${holderA.address}`,
      locale: "zh-CN",
      width: 1280,
      account: holderA,
      connected: true,
      walletChains: [otherChain.rpcUrl, platform.server.rpcUrl],
    });
    expect(wallet.chainId()).toBe(1337);
    // Token #1 went in the first test: only #2 is left to give here.
    expect(await page.locator(".owner-token").count()).toBe(1);
    const card = page.locator(`.owner-token[data-token-id="${tokens.freeSecond}"]`);
    await card.locator("summary").click();
    expect(await card.locator("summary").textContent()).toBe(text("zh-CN", "gifting.summary"));
    await card.getByLabel(text("zh-CN", "gifting.recipientLabel")).fill(recipient);
    await screenshot(page, "gift-owner-zh-CN-1280", card);
    await card.getByRole("button", { name: text("zh-CN", "gifting.submit"), exact: true }).click();
    const done = card.getByTestId("gift-done");
    await done.waitFor({ timeout: 90_000 });
    expect(await done.textContent()).toBe(text("zh-CN", "gifting.done", { owner: recipient.toLowerCase() }));
    expect(wallet.chainId()).toBe(platform.server.chainId);
    const calls = methods(wallet);
    expect(calls.indexOf("wallet_switchEthereumChain")).toBeGreaterThan(-1);
    expect(calls.indexOf("wallet_switchEthereumChain")).toBeLessThan(calls.indexOf("eth_call"));
    expect(await ownerOnChain(tokens.freeSecond)).toBe(recipient.toLowerCase());
    await screenshot(page, "gift-owner-done-zh-CN-1280", card);
    await context.close();
  }, 180_000);

  test("a holder without ETH for gas is told so; once the issuer pauses the collection, the form says why before and the chain refuses in words", async () => {
    const recipient = privateKeyToAccount(generatePrivateKey()).address;
    const { context, page, wallet } = await openPage({ path: `/tokens/${issuer.collection}/${tokens.unfunded}`, locale: "en-US", width: 1280, account: holderC, connected: true });
    const input = page.getByLabel(text("en-US", "gifting.recipientLabel"));
    const give = page.getByRole("button", { name: text("en-US", "gifting.submit"), exact: true });
    await input.fill(recipient);
    await give.click();
    const error = page.getByTestId("gift-error");
    await expect.poll(() => error.getAttribute("data-failure"), { timeout: 30_000 }).toBe("insufficientFunds");
    expect(await error.textContent()).toBe(text("en-US", "gifting.errorInsufficientFunds"));
    expect(await ownerOnChain(tokens.unfunded)).toBe(holderC.address.toLowerCase());
    expect(methods(wallet)).toContain("eth_sendTransaction");

    // The issuer pauses the collection (last test: every other token here stays where it is).
    const paused = await platform.call("POST", `/api/collections/${issuer.collection}/pause`, { key: issuer.apiKey });
    expect(paused.status).toBe(200);
    const route = `/api/tokens/${issuer.collection}/${tokens.unfunded}`;
    await expect.poll(async () => (await platform.call<{ token: { collection: { paused: boolean } } }>("GET", route)).body.token.collection.paused, { timeout: 30_000 }).toBe(true);
    await page.reload();
    await page.getByTestId("gift-paused").waitFor();
    expect(await page.getByTestId("gift-paused").textContent()).toBe(text("en-US", "gifting.pausedNotice"));
    expect(await give.isDisabled()).toBe(true);
    await input.fill(recipient);
    await give.evaluate((button) => button.removeAttribute("disabled"));
    await give.click();
    await expect.poll(() => error.getAttribute("data-failure"), { timeout: 30_000 }).toBe("paused");
    expect(await error.textContent()).toBe(text("en-US", "gifting.errorPaused"));
    await screenshot(page, "gift-paused-en-1280");
    await context.close();
  }, 120_000);
});
