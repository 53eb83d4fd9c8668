/**
 * Screenshots of the issuer console's custody panel (docs/screenshots/issuer-custody-*.png), EN and ZH, at 1280 and
 * 375 px: `npx tsx test/web/custodyScreenshots.ts`.
 *
 * THIS RUN INTERCEPTS. It was written while the platform's custody endpoints were being built in another branch:
 * it drives the real console, a real platform and the real injected wallet (test/support/injectedWallet.ts, signing
 * on Anvil), but answers with Playwright routes the two custody endpoints (GET /api/issuers/me/custody-typed-data,
 * POST /api/issuers/me/custody) and, when the platform's own answer lacks them, the `address`, `custody` and
 * `operatingAddress` of GET /api/issuers/me (derived from the dev mnemonic as the platform derives them). The test
 * of the flow, test/web/custody.browser.test.ts, intercepts nothing and writes the same files from the real platform.
 */
import type { Page, Route } from "playwright-core";

import path from "node:path";

import { chromium } from "playwright-core";
import { generatePrivateKey, mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { build } from "vite";

import { startAnvil } from "../../server/chain/startAnvil.js";
import { WELL_KNOWN_DEV_MNEMONIC } from "../../server/config/loadConfig.js";
import { installInjectedWallet } from "../support/injectedWallet.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const screenshotDir = path.join(repoRoot, "docs", "screenshots");

await build({ configFile: path.join(repoRoot, "web", "vite.config.ts"), logLevel: "warn" });
const [platform, otherChain] = await Promise.all([startTestPlatform("custody-screenshots"), startAnvil({ chainId: 1337 })]);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"] });

try {
  const adminKey = platform.server.firstAdminApiKey!;
  const issuer = await platform.call<{ apiKey: string }>("POST", "/api/issuers", { key: adminKey, body: { name: "Dunhuang Academy 敦煌研究院" } });
  const collection = await platform.call<{ address: string }>("POST", "/api/collections", { key: issuer.body.apiKey, body: { name: "Mogao Murals", symbol: "MOGAO" } });
  const custodialAddress = mnemonicToAccount(WELL_KNOWN_DEV_MNEMONIC, { accountIndex: 1, addressIndex: 0 }).address.toLowerCase();
  const operatingAddress = mnemonicToAccount(WELL_KNOWN_DEV_MNEMONIC, { accountIndex: 1, addressIndex: 1 }).address.toLowerCase();
  let takenBy: string | null = null;

  const intercept = async (page: Page) => {
    await page.route(/\/api\/issuers\/me$/, async (route: Route) => {
      const real = await route.fetch();
      const body = (await real.json()) as Record<string, unknown>;
      const patched = body.address ? body : { ...body, address: custodialAddress, custody: "custodial", operatingAddress };
      await route.fulfill({ response: real, json: takenBy ? { ...patched, address: takenBy.toLowerCase(), custody: "self" } : patched });
    });
    await page.route(/\/api\/issuers\/me\/custody-typed-data\?/, async (route: Route) => {
      const query = new URL(route.request().url()).searchParams;
      await route.fulfill({
        json: {
          domain: { name: "Vermilion", version: "1", chainId: String(platform.server.chainId), verifyingContract: platform.server.factoryAddress },
          types: {
            IssuerCustodyTransfer: [
              { name: "account", type: "address" },
              { name: "keepOperatingKey", type: "bool" },
              { name: "deadline", type: "uint256" },
            ],
          },
          primaryType: "IssuerCustodyTransfer",
          message: { account: query.get("account"), keepOperatingKey: query.get("keepOperatingKey") === "true", deadline: query.get("deadline") },
        },
      });
    });
    await page.route(/\/api\/issuers\/me\/custody$/, async (route: Route) => {
      const body = route.request().postDataJSON() as { account: string; keepOperatingKey: boolean };
      takenBy = body.account;
      await route.fulfill({
        json: { issuerId: "screenshot", address: body.account.toLowerCase(), custody: "self", operatingAddress, collections: [{ address: collection.body.address, state: "transferred" }] },
      });
    });
  };

  const open = async (locale: "en-US" | "zh-CN", width: number, walletChains: string[] | null) => {
    const context = await browser.newContext({ viewport: { width, height: 900 }, locale, baseURL: platform.server.url });
    await context.addInitScript(`sessionStorage.setItem("vermilion.issuerKey", ${JSON.stringify(issuer.body.apiKey)})`);
    const page = await context.newPage();
    page.on("pageerror", (error) => console.error(`page error: ${error.message}`));
    await intercept(page);
    const wallet = walletChains
      ? await installInjectedWallet(page, { account: privateKeyToAccount(generatePrivateKey()), rpcUrl: walletChains[0]!, switchableRpcUrls: walletChains.slice(1) })
      : null;
    await page.goto("/issuer");
    await page.getByTestId("custody-panel").waitFor();
    await page.addStyleTag({ content: ".site-header { position: static; }" });
    return { context, page, wallet };
  };
  const shoot = async (page: Page, name: string) => {
    await page.getByTestId("custody-panel").screenshot({ path: path.join(screenshotDir, `${name}.png`) });
    await page.screenshot({ path: path.join("/tmp", `${name}-full.png`), fullPage: true });
  };

  // 1280 px, English: wallet connected, the operating-key choice shown.
  const english = await open("en-US", 1280, [platform.server.rpcUrl]);
  await english.page.getByRole("button", { name: "Connect wallet" }).click();
  await english.page.getByTestId("custody-wallet").waitFor();
  await shoot(english.page, "issuer-custody-en");
  // The user declines in the wallet (EIP-1193 4001): the console says so in words.
  english.wallet!.setAnswer("eth_signTypedData_v4", "reject");
  await english.page.getByRole("button", { name: "Sign and take custody" }).click();
  console.log(`declined: ${await english.page.getByTestId("custody-error").textContent()}`);
  await english.context.close();

  // 375 px, English: a wallet that only knows another chain.
  const wrongChain = await open("en-US", 375, [otherChain.rpcUrl]);
  await wrongChain.page.getByRole("button", { name: "Connect wallet" }).click();
  await wrongChain.page.getByRole("button", { name: "Sign and take custody" }).click();
  await wrongChain.page.getByTestId("custody-error").waitFor();
  await shoot(wrongChain.page, "issuer-custody-375-en");
  await wrongChain.context.close();

  // 375 px, Chinese: no wallet in this browser.
  const noWallet = await open("zh-CN", 375, null);
  await noWallet.page.getByTestId("custody-no-wallet").waitFor();
  await shoot(noWallet.page, "issuer-custody-375-zh-CN");
  await noWallet.context.close();

  // 1280 px, Chinese: the wallet starts on another chain, is switched, signs; custody taken.
  const chinese = await open("zh-CN", 1280, [otherChain.rpcUrl, platform.server.rpcUrl]);
  await chinese.page.getByRole("button", { name: "连接钱包" }).click();
  await chinese.page.getByRole("button", { name: "签名并自行托管" }).click();
  await chinese.page.getByTestId("custody-done").waitFor();
  await shoot(chinese.page, "issuer-custody-zh-CN");
  await chinese.context.close();
  console.log("screenshots written to docs/screenshots/issuer-custody-*.png");
} finally {
  await browser.close();
  await Promise.all([platform.stop(), otherChain.stop()]);
}
