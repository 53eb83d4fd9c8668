import type { Browser, BrowserContext, Page } from "playwright-core";
import type { StartAnvilReturnType } from "../support/startAnvil.js";
import type { BrowserLocale, CatalogueText } from "../support/browserSupport.js";
import type { TestPlatform } from "../support/startTestPlatform.js";
import type { TokenReport } from "vermilion-verify/report.js";

import { mkdir } from "node:fs/promises";
import http from "node:http";
import path from "node:path";

import { CarBlockIterator } from "@ipld/car/iterator";
import { CID } from "multiformats/cid";
import * as json from "multiformats/codecs/json";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { serializeReport } from "vermilion-verify/serializeReport.js";
import { signReport } from "vermilion-verify/signReport.js";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { launchChromium, readCatalogues, waitFor } from "../support/browserSupport.js";
import { listenOnLoopback } from "../support/listen.js";
import { findFreePort, startAnvil } from "../support/startAnvil.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

/*
 * The verifier in the reader's browser (web/src/verify/): the token page and /audit verify against an
 * RPC endpoint and an IPFS gateway the reader chose, named in the page's CSP. The platform runs on a
 * chain of the test's own (RPC_URL), so stopping the platform leaves the chain; the gateways are this
 * test's, serving the blocks of the platform's offline bundle (fetched while it ran), one of them lying.
 * Writes docs/screenshots/verify-browser-*.png.
 */

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const screenshotDir = path.join(repoRoot, "docs", "screenshots");
const TOKEN_ID = "1000001";

interface TrustlessGateway {
  url: string;
  /** How many block requests it has answered (any status). */
  requests: () => number;
  close: () => Promise<void>;
}

/**
 * A minimal IPFS trustless gateway: `GET /ipfs/<cid>?format=raw` answers the block from `blocks`
 * (404 when absent), with CORS for any page. `alter` names a CID whose block it serves with its last
 * byte flipped: a gateway that lies about one content block.
 */
async function startTrustlessGateway(blocks: Map<string, Uint8Array>, options: { alter?: string } = {}): Promise<TrustlessGateway> {
  let requests = 0;
  const server = http.createServer((request, response) => {
    response.setHeader("access-control-allow-origin", "*");
    response.setHeader("cache-control", "no-store");
    const match = /^\/ipfs\/([^/?]+)\?format=raw$/.exec(request.url ?? "");
    if (request.method !== "GET" || !match) {
      response.writeHead(400).end();
      return;
    }
    requests += 1;
    let key: string;
    try {
      key = CID.parse(match[1]!).toV1().toString();
    } catch {
      response.writeHead(400).end();
      return;
    }
    const block = blocks.get(key);
    if (!block) {
      response.writeHead(404).end();
      return;
    }
    const served = new Uint8Array(block);
    if (key === options.alter) served[served.length - 1]! ^= 0xff;
    response.writeHead(200, { "content-type": "application/vnd.ipld.raw" }).end(served);
  });
  const { url, stop } = await listenOnLoopback(server);
  return { url, requests: () => requests, close: stop };
}

let anvil: StartAnvilReturnType;
let platform: TestPlatform;
let platformStopped = false;
let browser: Browser;
let honest: TrustlessGateway;
let lying: TrustlessGateway;
let collection: string;
let mediaCid: string;
let bundleBytes: Uint8Array;
let bundlePinned: { number: string; hash: string };
let text: CatalogueText;
const pageErrors: string[] = [];

function tokenPath(query: Record<string, string>): string {
  return `/tokens/${collection}/${TOKEN_ID}?${new URLSearchParams(query).toString()}`;
}

async function openPage(locale: BrowserLocale, width: number): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, locale, baseURL: platform.server.url });
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  return { context, page };
}

/** The in-browser panel's state once a run has ended (pass, fail, unreachable, error). */
async function finishedState(page: Page): Promise<string> {
  const panel = page.locator("[data-testid=browser-verification]");
  await expect.poll(() => panel.getAttribute("data-state"), { timeout: 60_000 }).toMatch(/^(pass|fail|unreachable|error|no-rpc)$/);
  return (await panel.getAttribute("data-state"))!;
}

async function screenshot(page: Page, name: string): Promise<void> {
  await page.addStyleTag({ content: ".site-header { position: static; }" });
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  await mkdir(screenshotDir, { recursive: true });
  ({ text } = await readCatalogues());
  anvil = await startAnvil();
  platform = await startTestPlatform("browser-verify", { RPC_URL: anvil.rpcUrl }, { demo: true });
  collection = platform.server.demo!.collection;
  await waitFor(
    () => platform.call<{ history: unknown[] }>("GET", `/api/tokens/${collection}/${TOKEN_ID}/provenance`),
    (response) => response.status === 200 && response.body.history.length === 2,
    "the demo transfer to be indexed",
  );
  const token = await platform.call<{ token: { media: { ipfs: string } } }>("GET", `/api/tokens/${collection}/${TOKEN_ID}`);
  mediaCid = CID.parse(token.body.token.media.ipfs.replace(/^ipfs:\/\//, "")).toV1().toString();
  // Every content block a verification of the edition reads, from the platform's offline bundle.
  const bundle = await fetch(`${platform.server.url}/api/collections/${collection}/editions/1/bundle.car`);
  expect(bundle.status).toBe(200);
  bundleBytes = new Uint8Array(await bundle.arrayBuffer());
  const blocks = new Map<string, Uint8Array>();
  const iterator = await CarBlockIterator.fromBytes(bundleBytes);
  const [rootCid] = await iterator.getRoots();
  for await (const block of iterator) blocks.set(block.cid.toV1().toString(), block.bytes);
  ({ pinnedBlock: bundlePinned } = json.decode<{ pinnedBlock: { number: string; hash: string } }>(blocks.get(rootCid!.toV1().toString())!));
  expect(blocks.has(mediaCid)).toBe(true);
  honest = await startTrustlessGateway(blocks);
  lying = await startTrustlessGateway(blocks, { alter: mediaCid });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (!platformStopped) await platform?.stop();
  await honest?.close();
  await lying?.close();
  await anvil?.stop();
});

describe("the verifier in the reader's browser, against endpoints the reader chose", () => {
  test("the page's CSP lets it call exactly the chosen RPC and gateway origins besides its own", async () => {
    const response = await fetch(`${platform.server.url}${tokenPath({ rpc: anvil.rpcUrl, gateway: honest.url })}`);

    expect(response.status).toBe(200);
    const policies = response.headers.get("content-security-policy")!;
    const connect = policies.split(";").map((directive) => directive.trim()).find((directive) => directive.startsWith("connect-src "));
    expect(connect?.split(" ")).toEqual(["connect-src", "'self'", "blob:", "data:", new URL(anvil.rpcUrl).origin, honest.url]);
    // The platform's own page, as it is served without a choice: its RPC is not published (RPC_URL may carry a key).
    const plain = await fetch(`${platform.server.url}/tokens/${collection}/${TOKEN_ID}`);
    expect(plain.headers.get("content-security-policy")).toContain("connect-src 'self' blob: data:;");
  });

  test("/audit verifies a token in the browser and names what it trusted; an unreachable endpoint gets a sentence saying which", async () => {
    const { context, page } = await openPage("en-US", 1280);
    await page.goto(`/audit?${new URLSearchParams({ contract: collection, token: TOKEN_ID, rpc: anvil.rpcUrl, gateway: honest.url }).toString()}`);
    await page.locator(".report[data-verdict=pass]").waitFor({ timeout: 60_000 });
    const trusted = page.locator("[data-testid=report-trusted]");
    expect(await trusted.locator("[data-testid=trusted-rpc]").textContent()).toContain(anvil.rpcUrl);
    expect(await trusted.locator("[data-testid=trusted-gateway]").textContent()).toContain(honest.url);
    expect(await trusted.locator("[data-testid=trusted-rpc] [data-trust=reader]").count()).toBe(1);
    expect(await trusted.locator("[data-testid=trusted-gateway] [data-trust=reader]").count()).toBe(1);
    expect(await trusted.locator("[data-testid=trusted-factory] [data-trust=platform]").count()).toBe(1);
    expect(await trusted.locator("[data-testid=trusted-chain]").textContent()).toContain("31337");
    expect(await page.locator(".audit-check[data-check='media.content'].check-pass").count()).toBe(1);
    await screenshot(page, "verify-browser-audit-en-1280");

    // A gateway nobody answers at: the page says so, naming it, instead of a verdict.
    const closedPort = await findFreePort();
    const deadGateway = `http://127.0.0.1:${closedPort}`;
    await page.goto(`/audit?${new URLSearchParams({ contract: collection, token: TOKEN_ID, rpc: anvil.rpcUrl, gateway: deadGateway }).toString()}`);
    await page.locator("[data-verdict=unreachable]").waitFor({ timeout: 60_000 });
    expect(await page.textContent("[data-verdict=unreachable] [role=alert]")).toContain(`The IPFS gateway ${deadGateway} could not be reached`);

    const deadRpc = `http://127.0.0.1:${closedPort}`;
    await page.goto(`/audit?${new URLSearchParams({ contract: collection, token: TOKEN_ID, rpc: deadRpc, gateway: honest.url }).toString()}`);
    await page.locator("[data-verdict=unreachable]").waitFor({ timeout: 60_000 });
    expect(await page.textContent("[data-verdict=unreachable] [role=alert]")).toContain(`The RPC endpoint ${deadRpc} could not be reached`);

    // A link whose RPC is not http(s) opens with a visible notice, and without it in the CSP.
    await page.goto(`/audit?${new URLSearchParams({ rpc: "javascript:alert(1)" }).toString()}`);
    expect(await page.textContent("[data-refused=rpc]")).toBe(
      text("en-US", "browserVerify.refused", { field: text("en-US", "browserVerify.fieldRpc"), value: "javascript:alert(1)", reason: text("en-US", "browserVerify.refusedNotHttp") }),
    );

    // The platform publishes no RPC here, so the form stands open. Choosing endpoints in it reloads the page
    // with them in its address, under a CSP naming them.
    expect(await page.locator("[data-testid=browser-endpoints] .endpoint-choice").getAttribute("open")).toBe("");
    await page.fill("#audit-endpoints-rpc", anvil.rpcUrl);
    await page.fill("#audit-endpoints-gateway", honest.url);
    const reloaded = page.waitForResponse((response) => response.url().includes("gateway=") && response.request().resourceType() === "document");
    await page.getByRole("button", { name: text("en-US", "browserVerify.apply") }).click();
    const document = await reloaded;
    expect(new URL(document.url()).searchParams.get("gateway")).toBe(honest.url);
    expect(new URL(document.url()).searchParams.get("rpc")).toBe(anvil.rpcUrl);
    expect(document.headers()["content-security-policy"]).toContain(`connect-src 'self' blob: data: ${new URL(anvil.rpcUrl).origin} ${honest.url};`);
    await page.locator("[data-testid=browser-endpoints] [data-testid=trusted-gateway]").waitFor();
    expect(await page.textContent("[data-testid=browser-endpoints] [data-testid=trusted-gateway]")).toContain(honest.url);
    await context.close();
  }, 120_000);

  test("/audit checks a signed report's signature in the browser, accepting only a signer the reader names", async () => {
    const served = await fetch(`${platform.server.url}/api/tokens/${collection}/${TOKEN_ID}/verify`);
    const signed = await served.text();
    const report = JSON.parse(signed) as TokenReport;
    const published = (await (await fetch(`${platform.server.url}/api/report-key`)).json()) as { address: string };
    expect(report.signature?.signer).toBe(published.address);
    const stranger = generatePrivateKey();
    const { signature: _platformSignature, ...unsigned } = report;
    const forged = serializeReport(await signReport({ ...unsigned, verdict: "pass" }, stranger));

    for (const locale of ["en-US", "zh-CN"] as const) {
      const { context, page } = await openPage(locale, 375);
      await page.goto("/audit");
      const form = page.locator("[data-testid=report-check]");
      // The platform's key is offered, labelled as trusting this platform.
      await expect.poll(() => page.inputValue("#report-check-signers")).toBe(published.address);
      expect(await form.locator("[data-testid=report-key] [data-trust=platform]").count()).toBe(1);

      await page.setInputFiles("#report-check-file", { name: "report.json", mimeType: "application/json", buffer: Buffer.from(signed) });
      await form.getByRole("button", { name: text(locale, "offline.checkReport") }).click();
      await form.locator("[data-signature=accepted]").waitFor();

      // Correctly signed, by a key the reader did not name: refused, naming the signer.
      await page.setInputFiles("#report-check-file", { name: "forged.json", mimeType: "application/json", buffer: Buffer.from(forged) });
      await form.getByRole("button", { name: text(locale, "offline.checkReport") }).click();
      await form.locator("[data-signature=refused]").waitFor();
      expect(await form.locator("[data-signature=refused]").textContent()).toBe(text(locale, "offline.reportNotNamed", { signer: privateKeyToAccount(stranger).address }));

      // Named, the same signer is accepted: the reader decides whom to trust.
      await page.fill("#report-check-signers", privateKeyToAccount(stranger).address);
      await form.getByRole("button", { name: text(locale, "offline.checkReport") }).click();
      await form.locator("[data-signature=accepted]").waitFor();
      if (locale === "zh-CN") await screenshot(page, "verify-report-check-zh-CN-375");

      // Altered after signing: refused, and the reason is in the reader's language.
      const altered = serializeReport({ ...report, verdict: report.verdict === "pass" ? "fail" : "pass" });
      await page.setInputFiles("#report-check-file", { name: "altered.json", mimeType: "application/json", buffer: Buffer.from(altered) });
      await form.getByRole("button", { name: text(locale, "offline.checkReport") }).click();
      await form.locator("[data-refusal=SIGNATURE_NOT_BY_SIGNER]").waitFor();
      expect(await form.locator("[data-signature=refused]").textContent()).toBe(
        text(locale, "offline.reportRefused", { reason: text(locale, "offline.refusal.SIGNATURE_NOT_BY_SIGNER") }),
      );
      await context.close();
    }
  }, 120_000);

  test("/audit verifies a proof-carrying bundle offline against a block hash the reader pastes; another hash is refused, naming why", async () => {
    // The hash as the reader knows it from a source of their own: here, the chain's RPC.
    const onChain = await (await fetch(anvil.rpcUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_getBlockByNumber", params: [`0x${BigInt(bundlePinned.number).toString(16)}`, false] }),
    })).json() as { result: { hash: string } };
    expect(onChain.result.hash).toBe(bundlePinned.hash);

    for (const [locale, width] of [["en-US", 1280], ["zh-CN", 375]] as const) {
      const { context, page } = await openPage(locale, width);
      await page.goto("/audit");
      // The verifier's code is loaded; from here on the page has no network at all.
      await page.locator("[data-verifier=ready]").waitFor();
      await context.setOffline(true);
      const form = page.locator("[data-testid=bundle-check]");
      await page.setInputFiles("#bundle-check-file", { name: "bundle.car", mimeType: "application/vnd.ipld.car", buffer: Buffer.from(bundleBytes) });
      await page.fill("#bundle-check-block", onChain.result.hash);
      await page.fill("#bundle-check-token", TOKEN_ID);
      await form.getByRole("button", { name: text(locale, "offline.checkBundle") }).click();
      await form.locator(".report, [data-verdict=refused], .form-error").first().waitFor({ timeout: 60_000 });
      // Whatever ended the run is in the message of a failure here: the report, or why there is none.
      expect(await form.locator("[data-testid=bundle-check-result]").innerText()).toContain("bundle.proofs");
      await form.locator(".report[data-verdict=pass]").first().waitFor({ timeout: 1_000 });
      expect(await form.locator(".audit-check[data-check='bundle.proofs'].check-pass").count()).toBe(1);
      expect(await form.locator("[data-testid=bundle-anchor]").textContent()).toBe(text(locale, "offline.anchorTrusted", { block: bundlePinned.number, hash: onChain.result.hash }));
      if (locale === "zh-CN") await screenshot(page, "verify-bundle-offline-zh-CN-375");

      // A hash that is not the bundle's pinned block: nothing in the bundle is believed.
      await page.fill("#bundle-check-block", `0x${"ab".repeat(32)}`);
      await form.getByRole("button", { name: text(locale, "offline.checkBundle") }).click();
      await form.locator("[data-verdict=refused][data-code=BUNDLE_PINNED_BLOCK_UNTRUSTED]").waitFor({ timeout: 60_000 });
      if (locale === "en-US") await screenshot(page, "verify-bundle-refused-en-1280");
      await context.close();
    }
  }, 180_000);

  test("with the platform's API stopped, an open token page still verifies through the chosen RPC and gateway, and fails naming the check when the gateway lies", async () => {
    const cases = [
      { locale: "en-US", width: 1280, gateway: () => honest, verdict: "pass" },
      { locale: "zh-CN", width: 375, gateway: () => honest, verdict: "pass" },
      { locale: "en-US", width: 375, gateway: () => lying, verdict: "fail" },
      { locale: "zh-CN", width: 1280, gateway: () => lying, verdict: "fail" },
    ] as const;
    const pages: Array<{ context: BrowserContext; page: Page; case: (typeof cases)[number] }> = [];
    for (const entry of cases) {
      const { context, page } = await openPage(entry.locale, entry.width);
      await page.goto(tokenPath({ rpc: anvil.rpcUrl, gateway: entry.gateway().url }));
      // The first run, while the platform is up: by its end the verifier's code is in the page.
      expect(await finishedState(page), (await page.textContent("[data-testid=browser-verification]")) ?? "").toBe(entry.verdict);
      pages.push({ context, page, case: entry });
    }

    await platform.stop();
    platformStopped = true;
    await expect(fetch(`${platform.server.url}/api/health/live`)).rejects.toThrow();

    for (const { context, page, case: entry } of pages) {
      const locale = entry.locale;
      const requestsBefore = entry.gateway().requests();
      await page.getByRole("button", { name: text(locale, "browserVerify.again") }).click();
      expect(await finishedState(page), (await page.textContent("[data-testid=browser-verification]")) ?? "").toBe(entry.verdict);
      // This run read its blocks from the chosen gateway: the platform is gone.
      expect(entry.gateway().requests()).toBeGreaterThan(requestsBefore);
      const badge = page.locator("[data-testid=browser-verification] .verification-details [data-verdict]");
      expect(await badge.getAttribute("data-verdict")).toBe(entry.verdict);
      expect(await badge.textContent()).toContain(text(locale, entry.verdict === "pass" ? "verify.pass" : "verify.fail"));
      expect(await page.textContent("[data-testid=trusted-rpc]")).toContain(anvil.rpcUrl);
      expect(await page.textContent("[data-testid=trusted-gateway]")).toContain(entry.gateway().url);
      expect(await page.textContent("[data-testid=trusted-gateway]")).toContain(text(locale, "browserVerify.readersChoice"));
      expect(await page.textContent("[data-testid=trusted-factory]")).toContain(text(locale, "browserVerify.trustingPlatform"));
      if (entry.verdict === "fail") {
        await page.locator("[data-testid=browser-verification] .verification-details summary").click();
        const failedChecks = page.locator("[data-testid=browser-verification] .check-fail");
        expect(await failedChecks.count()).toBe(1);
        expect(await failedChecks.getAttribute("data-check")).toBe("media.content");
        expect(await failedChecks.textContent()).toContain(text(locale, "check.mediaContent"));
        expect(await failedChecks.textContent()).toContain("MEDIA_CID_MISMATCH");
      }
      await screenshot(page, `verify-browser-${entry.verdict}-${locale === "en-US" ? "en" : "zh-CN"}-${entry.width}`);
      const overflowing = await page.evaluate(`[...document.querySelectorAll("main *")].filter((element) => element.getBoundingClientRect().right > ${entry.width}).map((element) => element.tagName + "." + element.className).slice(0, 5).join(", ")`);
      expect(await page.evaluate("document.documentElement.scrollWidth"), String(overflowing)).toBeLessThanOrEqual(entry.width);
      await context.close();
    }
    expect(pageErrors).toEqual([]);
  }, 240_000);
});
