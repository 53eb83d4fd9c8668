import type { BrowserLocale, CatalogueText } from "../support/browserSupport.js";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { Address, Hex } from "viem";
import type { StartAnvilReturnType } from "../../server/chain/startAnvil.js";
import type { InjectedWallet } from "../support/injectedWallet.js";
import type { TestPlatform } from "../support/startTestPlatform.js";

import path from "node:path";

import { createPublicClient, getAddress, http, zeroHash } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { vermilionCollectionAbi } from "../../server/chain/abis/VermilionCollection.js";
import { startAnvil } from "../../server/chain/startAnvil.js";
import { launchChromium, readCatalogues } from "../support/browserSupport.js";
import { installInjectedWallet } from "../support/injectedWallet.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

/*
 * The take-custody flow of the issuer console, in Chromium, against the real platform and its Anvil: the wallet
 * is test/support/injectedWallet.ts (signs with a viem account, forwards the rest to the chain). Nothing here is
 * intercepted or stubbed; it also writes docs/screenshots/issuer-custody-*.png.
 */

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const screenshotDir = path.join(repoRoot, "docs", "screenshots");
const DEFAULT_ADMIN_ROLE = zeroHash;

type Locale = BrowserLocale;

interface CustodialIssuer {
  name: string;
  apiKey: string;
  address: Address;
  operatingAddress: Address;
  collection: Address;
}

let platform: TestPlatform;
/** A second chain the wallet may start on: the console must switch it to the platform's. */
let otherChain: StartAnvilReturnType;
let browser: Browser;
let adminKey: string;
let issuerRole: Hex;
let text: CatalogueText;
const pageErrors: string[] = [];

function publicClient() {
  return createPublicClient({ transport: http(platform.server.rpcUrl) });
}

async function hasRole(collection: Address, role: Hex, account: Address): Promise<boolean> {
  return publicClient().readContract({ address: collection, abi: vermilionCollectionAbi, functionName: "hasRole", args: [role, account] });
}

/** A custodial issuer (POST /api/issuers with a name only) with one collection. */
async function createCustodialIssuer(name: string): Promise<CustodialIssuer> {
  const issuer = await platform.call<{ apiKey: string; address: Address; custody: string; operatingAddress: Address }>("POST", "/api/issuers", { key: adminKey, body: { name } });
  expect(issuer.status).toBe(201);
  expect(issuer.body.custody).toBe("custodial");
  const collection = await platform.call<{ address: Address }>("POST", "/api/collections", { key: issuer.body.apiKey, body: { name: `${name} Collection`, symbol: "CST" } });
  expect(collection.status).toBe(201);
  return { name, apiKey: issuer.body.apiKey, address: getAddress(issuer.body.address), operatingAddress: getAddress(issuer.body.operatingAddress), collection: getAddress(collection.body.address) };
}

async function openConsole(options: {
  issuer: CustodialIssuer;
  locale: Locale;
  width: number;
  /** The wallet's chains (the first is where it starts); null: the browser has no wallet. */
  walletChains: string[] | null;
}): Promise<{ context: BrowserContext; page: Page; wallet: InjectedWallet | null }> {
  const context = await browser.newContext({ viewport: { width: options.width, height: 900 }, locale: options.locale, baseURL: platform.server.url });
  await context.addInitScript(`sessionStorage.setItem("vermilion.issuerKey", ${JSON.stringify(options.issuer.apiKey)})`);
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  const wallet = options.walletChains
    ? await installInjectedWallet(page, { account: privateKeyToAccount(generatePrivateKey()), rpcUrl: options.walletChains[0]!, switchableRpcUrls: options.walletChains.slice(1) })
    : null;
  await page.goto("/issuer");
  await page.getByTestId("custody-panel").waitFor();
  return { context, page, wallet };
}

async function panelScreenshot(page: Page, name: string): Promise<void> {
  // The sticky header would cover the top of an element screenshot.
  await page.addStyleTag({ content: ".site-header { position: static; }" });
  await page.getByTestId("custody-panel").screenshot({ path: path.join(screenshotDir, `${name}.png`) });
}

beforeAll(async () => {
  ({ text } = await readCatalogues());
  [platform, otherChain] = await Promise.all([startTestPlatform("custody"), startAnvil({ chainId: 1337 })]);
  adminKey = platform.server.firstAdminApiKey!;
  browser = await launchChromium();
  const probe = await createCustodialIssuer("Role probe");
  issuerRole = await publicClient().readContract({ address: probe.collection, abi: vermilionCollectionAbi, functionName: "ISSUER_ROLE" });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await Promise.all([platform?.stop(), otherChain?.stop()]);
  expect(pageErrors).toEqual([]);
});

describe("the issuer console's custody panel, in Chromium with an injected wallet on the test chain", () => {
  test("a custodial issuer sees its address and operating key; declines once (4001, nothing changes), then takes custody: its wallet is admin on chain", async () => {
    const issuer = await createCustodialIssuer("Suzhou Museum");
    expect(await hasRole(issuer.collection, DEFAULT_ADMIN_ROLE, issuer.address)).toBe(true);
    const { context, page, wallet } = await openConsole({ issuer, locale: "en-US", width: 1280, walletChains: [platform.server.rpcUrl] });
    // A second tab of the same issuer, still showing the custodial state after the first one takes custody.
    const stale = await openConsole({ issuer, locale: "en-US", width: 1280, walletChains: [platform.server.rpcUrl] });

    expect((await page.getByTestId("issuer-address").locator("code").textContent())?.toLowerCase()).toBe(issuer.address.toLowerCase());
    expect(await page.getByTestId("custody-state").getAttribute("data-custody")).toBe("custodial");
    expect(await page.getByTestId("custody-state").textContent()).toBe(text("en-US", "custody.custodial"));
    expect((await page.getByTestId("operating-key").locator("code").textContent())?.toLowerCase()).toBe(issuer.operatingAddress.toLowerCase());
    expect(await page.getByTestId("operating-key").textContent()).toContain(text("en-US", "custody.operatingHint"));

    await page.getByRole("button", { name: text("en-US", "custody.connect") }).click();
    await page.getByTestId("custody-wallet").waitFor();
    expect(await page.getByTestId("custody-wallet").locator("code").textContent()).toBe(wallet!.address);
    // "Keep letting Vermilion mint for me with operating key 0x…": on unless the issuer unticks it.
    expect(await page.locator("#custody-keep-operating-key").isChecked()).toBe(true);
    expect((await page.locator(".custody-keep label").textContent())?.toLowerCase()).toBe(
      text("en-US", "custody.keepOperatingKey", { address: issuer.operatingAddress }).toLowerCase(),
    );
    await panelScreenshot(page, "issuer-custody-en");

    wallet!.setAnswer("eth_signTypedData_v4", "reject");
    await page.getByRole("button", { name: text("en-US", "custody.sign") }).click();
    await expect.poll(() => page.getByTestId("custody-error").textContent()).toBe(text("en-US", "custody.errorRejected"));
    expect(await hasRole(issuer.collection, DEFAULT_ADMIN_ROLE, wallet!.address)).toBe(false);
    expect(await hasRole(issuer.collection, DEFAULT_ADMIN_ROLE, issuer.address)).toBe(true);

    wallet!.setAnswer("eth_signTypedData_v4", "approve");
    await page.getByRole("button", { name: text("en-US", "custody.sign") }).click();
    const done = page.getByTestId("custody-done");
    await done.waitFor({ timeout: 90_000 });
    expect((await done.locator("p").first().textContent())?.toLowerCase()).toBe(text("en-US", "custody.done", { address: wallet!.address }).toLowerCase());
    expect((await done.locator("a").first().textContent())?.toLowerCase()).toBe(issuer.collection.toLowerCase());
    expect(await page.getByTestId("custody-state").getAttribute("data-custody")).toBe("self");
    expect((await page.getByTestId("issuer-address").locator("code").textContent())?.toLowerCase()).toBe(wallet!.address.toLowerCase());
    expect(await page.getByRole("button", { name: text("en-US", "custody.sign") }).count()).toBe(0);

    // On chain: the wallet is the admin, the custodial key holds nothing, the operating key still mints (kept).
    expect(await hasRole(issuer.collection, DEFAULT_ADMIN_ROLE, wallet!.address)).toBe(true);
    expect(await hasRole(issuer.collection, DEFAULT_ADMIN_ROLE, issuer.address)).toBe(false);
    expect(await hasRole(issuer.collection, issuerRole, issuer.operatingAddress)).toBe(true);
    const me = await platform.call<{ custody: string; address: string }>("GET", "/api/issuers/me", { key: issuer.apiKey });
    expect(me.body.custody).toBe("self");
    expect(me.body.address.toLowerCase()).toBe(wallet!.address.toLowerCase());

    // The stale tab tries again: the platform answers CUSTODY_ALREADY_SELF, shown in words.
    await stale.page.getByRole("button", { name: text("en-US", "custody.connect") }).click();
    await stale.page.getByRole("button", { name: text("en-US", "custody.sign") }).click();
    await expect.poll(() => stale.page.getByTestId("custody-error").textContent(), { timeout: 30_000 }).toBe(text("en-US", "custody.errorAlreadySelf"));
    expect(await hasRole(issuer.collection, DEFAULT_ADMIN_ROLE, wallet!.address)).toBe(true);
    await stale.context.close();
    await context.close();
  }, 180_000);

  test("in Chinese: the wallet starts on another chain and is switched; declining shows the Chinese message; without the operating key, the platform can no longer mint", async () => {
    const issuer = await createCustodialIssuer("敦煌研究院");
    const { context, page, wallet } = await openConsole({ issuer, locale: "zh-CN", width: 1280, walletChains: [otherChain.rpcUrl, platform.server.rpcUrl] });
    expect(wallet!.chainId()).toBe(1337);
    expect(await page.getByTestId("custody-state").textContent()).toBe(text("zh-CN", "custody.custodial"));
    expect(await page.locator("#custody-title").textContent()).toBe(text("zh-CN", "custody.title"));

    await page.getByRole("button", { name: text("zh-CN", "custody.connect") }).click();
    await page.getByTestId("custody-wallet").waitFor();
    await page.locator("#custody-keep-operating-key").uncheck();

    wallet!.setAnswer("eth_signTypedData_v4", "reject");
    await page.getByRole("button", { name: text("zh-CN", "custody.sign") }).click();
    await expect.poll(() => page.getByTestId("custody-error").textContent()).toBe(text("zh-CN", "custody.errorRejected"));
    // The console asked the wallet to switch to the platform's chain before asking for the signature.
    expect(wallet!.chainId()).toBe(platform.server.chainId);
    const methods = wallet!.requests.map((request) => request.method);
    expect(methods.indexOf("wallet_switchEthereumChain")).toBeGreaterThan(-1);
    expect(methods.indexOf("wallet_switchEthereumChain")).toBeLessThan(methods.indexOf("eth_signTypedData_v4"));

    wallet!.setAnswer("eth_signTypedData_v4", "approve");
    await page.getByRole("button", { name: text("zh-CN", "custody.sign") }).click();
    await page.getByTestId("custody-done").waitFor({ timeout: 90_000 });
    expect(await page.getByTestId("custody-state").textContent()).toBe(text("zh-CN", "custody.self"));
    await panelScreenshot(page, "issuer-custody-zh-CN");

    expect(await hasRole(issuer.collection, DEFAULT_ADMIN_ROLE, wallet!.address)).toBe(true);
    expect(await hasRole(issuer.collection, DEFAULT_ADMIN_ROLE, issuer.address)).toBe(false);
    // The statement withheld the grant: the operating key lost its issuing role.
    expect(await hasRole(issuer.collection, issuerRole, issuer.operatingAddress)).toBe(false);
    await context.close();
  }, 180_000);

  test("at 375 px: a wallet that cannot reach the platform's chain gets the wrong-chain message (English); no wallet is explained (Chinese)", async () => {
    const issuer = await createCustodialIssuer("Hangzhou Silk Museum");
    const english = await openConsole({ issuer, locale: "en-US", width: 375, walletChains: [otherChain.rpcUrl] });
    await english.page.getByRole("button", { name: text("en-US", "custody.connect") }).click();
    await english.page.getByRole("button", { name: text("en-US", "custody.sign") }).click();
    await expect
      .poll(() => english.page.getByTestId("custody-error").textContent(), { timeout: 30_000 })
      .toBe(text("en-US", "custody.errorWrongChain", { walletChainId: 1337, expectedChainId: platform.server.chainId }));
    expect(english.wallet!.requests.some((request) => request.method === "eth_signTypedData_v4")).toBe(false);
    // Nothing overflows the narrow screen.
    expect(await english.page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await panelScreenshot(english.page, "issuer-custody-375-en");
    await english.context.close();

    const chinese = await openConsole({ issuer, locale: "zh-CN", width: 375, walletChains: null });
    expect(await chinese.page.getByTestId("custody-no-wallet").textContent()).toBe(text("zh-CN", "custody.noWallet"));
    expect(await chinese.page.getByRole("button", { name: text("zh-CN", "custody.connect") }).count()).toBe(0);
    expect(await chinese.page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await panelScreenshot(chinese.page, "issuer-custody-375-zh-CN");
    await chinese.context.close();
    expect(await hasRole(issuer.collection, DEFAULT_ADMIN_ROLE, issuer.address)).toBe(true);
  }, 120_000);
});
