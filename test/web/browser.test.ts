import type { Browser, BrowserContext, Page } from "playwright-core";
import type { TestPlatform } from "../support/startTestPlatform.js";

import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";

import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

import { WELL_KNOWN_DEV_PRIVATE_KEYS } from "../../server/config/loadConfig.js";
import { buildCubeGlb, drawSealPng } from "../../server/demo/demoAssets.js";
import { launchChromium, waitFor } from "../support/browserSupport.js";
import { startTestPlatform } from "../support/startTestPlatform.js";

const repoRoot = path.resolve(import.meta.dirname, "..", "..");
const distDir = path.join(repoRoot, "web", "dist");
const screenshotDir = path.join(repoRoot, "docs", "screenshots");
const JS_BUDGET_GZIP_BYTES = 200 * 1024;
/** The verifier's chunk (web/src/verify/runVerifierInBrowser.ts with the library), loaded by the token and audit pages. */
const VERIFIER_BUDGET_GZIP_BYTES = 180 * 1024;

const collectorA = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[1]!).address;
const collectorB = privateKeyToAccount(WELL_KNOWN_DEV_PRIVATE_KEYS[2]!).address;

let platform: TestPlatform;
let browser: Browser;
let collection: string;
let issuerApiKey: string;
/** The edition the issuer test creates; later tests mint into it and read its tokens. */
let createdEditionId: string;
const pageErrors: string[] = [];

async function openPage(options: { locale?: "en-US" | "zh-CN"; width?: number; signedIn?: boolean } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: 900 },
    locale: options.locale ?? "en-US",
    baseURL: platform.server.url,
  });
  if (options.signedIn) await context.addInitScript(`sessionStorage.setItem("vermilion.issuerKey", ${JSON.stringify(issuerApiKey)})`);
  const page = await context.newPage();
  page.on("pageerror", (error) => pageErrors.push(`${page.url()}: ${error.message}`));
  return { context, page };
}

async function screenshot(page: Page, name: string): Promise<void> {
  // From the top, so the sticky header sits where a reader sees it.
  await page.evaluate("window.scrollTo(0, 0)");
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  await mkdir(screenshotDir, { recursive: true });
  platform = await startTestPlatform("web", {}, { demo: true });
  collection = platform.server.demo!.collection;
  issuerApiKey = platform.server.demo!.issuerApiKey!;
  browser = await launchChromium();
  // The demo's transfer of serial 1 is indexed: the token page has a full timeline to show.
  await waitFor(
    () => platform.call<{ history: unknown[] }>("GET", `/api/tokens/${collection}/1000001/provenance`),
    (response) => response.status === 200 && response.body.history.length === 2,
    "the demo transfer to be indexed",
  );
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await platform?.stop();
});

describe("the web front end, in a real browser against a real platform", () => {
  test("an issuer signs in with a key, creates an edition from a file (commitment shown first) and mints to one address", async () => {
    const { context, page } = await openPage();
    await page.goto("/issuer");
    await page.fill("#api-key", issuerApiKey);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByText("Signed in as Demo: Dunhuang Academy.").waitFor();

    // A 3D model previews in the 3D viewer and asks for a poster; then the issuer picks an image instead.
    await page.setInputFiles("#edition-media", { name: "cube.glb", mimeType: "model/gltf-binary", buffer: buildCubeGlb() });
    await page.locator(".preview-box model-viewer").waitFor();
    await page.locator("label[for=edition-poster]").waitFor();
    // The viewer loads its model once on screen; the issuer's job list above (GET /api/jobs) may push the form below the fold.
    await page.locator(".preview-box model-viewer").scrollIntoViewIfNeeded();
    await expect.poll(() => page.evaluate("document.querySelector('.preview-box model-viewer')?.loaded === true"), { timeout: 30_000 }).toBe(true);

    const artwork = Buffer.from(await drawSealPng());
    await page.setInputFiles("#edition-media", { name: "paper-lantern.png", mimeType: "image/png", buffer: artwork });
    const commitment = `0x${createHash("sha256").update(artwork).digest("hex")}`;
    await expect.poll(() => page.textContent("[data-testid=commitment]"), { timeout: 15_000 }).toBe(commitment);
    await expect.poll(() => page.locator(".preview-box img").count(), { timeout: 15_000 }).toBe(1);
    expect(await page.locator("label[for=edition-poster]").isVisible()).toBe(false);
    await page.fill("#edition-name", "Paper Lantern");
    await page.fill("#edition-name-zh", "纸灯笼");
    await page.fill("#edition-max", "10");
    // The sticky header would cover the top of an element screenshot.
    await page.addStyleTag({ content: ".site-header { position: static; }" });
    await page.locator(".edition-form").screenshot({ path: path.join(screenshotDir, "issuer-new-edition-en.png") });
    await page.getByRole("button", { name: "Create edition" }).click();
    const created = page.locator("[data-edition-created]");
    await created.waitFor({ timeout: 60_000 });
    createdEditionId = (await created.getAttribute("data-edition-created"))!;
    expect(await created.textContent()).toContain(`Edition ${createdEditionId} created on-chain`);
    // The Chinese name is published as the metadata's zh-CN localization.
    const edition = (await (await fetch(`${platform.server.url}/api/collections/${collection}/editions/${createdEditionId}`)).json()) as { localizedMetadataCid: string | null };
    expect(edition.localizedMetadataCid).toMatch(/^bafy/);
    const localized = (await (await fetch(`${platform.server.url}/ipfs/${edition.localizedMetadataCid}/zh-CN/1.json`)).json()) as { name: string };
    expect(localized.name).toContain("纸灯笼");

    const row = page.locator(`details.edition-row[data-edition-id="${createdEditionId}"]`);
    await row.locator("summary").click();
    await page.fill(`#mint-to-${createdEditionId}`, collectorA);
    await row.getByRole("button", { name: "Mint", exact: true }).click();
    await page.locator(".job[data-state=completed]").first().waitFor({ timeout: 60_000 });
    await expect.poll(() => row.locator(".edition-row-supply").textContent(), { timeout: 15_000 }).toBe("1 / 10");
    await screenshot(page, "issuer-console-en");
    await context.close();
  }, 120_000);

  test("an airdrop reports a bad CSV row, then runs to 100% and is still followed after a reload", async () => {
    const { context, page } = await openPage({ signedIn: true });
    await page.goto(`/issuer?collection=${collection}`);
    const row = page.locator(`details.edition-row[data-edition-id="${createdEditionId}"]`);
    await row.locator("summary").click();

    await page.fill(`#airdrop-list-${createdEditionId}`, `address\n${collectorA}\n0xBAD\n${collectorB}`);
    const bad = row.locator(".row-errors li[data-row='3']");
    await bad.waitFor();
    expect(await bad.textContent()).toContain("0xBAD");
    expect(await row.getByRole("button", { name: "Start airdrop" }).isDisabled()).toBe(true);

    const recipients = [collectorA, collectorB, collectorA, collectorB, collectorA];
    await page.setInputFiles(`#airdrop-file-${createdEditionId}`, {
      name: "recipients.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(`address,name\n${recipients.map((address, index) => `${address},guest ${index}`).join("\n")}\n`),
    });
    await row.getByText("5 valid addresses").waitFor();
    expect(await row.locator(".row-errors").count()).toBe(0);
    // The demo's own airdrop (three recipients) is in the list already: follow the job this click makes.
    const jobIds = async () => Promise.all((await page.locator(".job[data-kind=airdrop]").all()).map((element) => element.getAttribute("data-job-id")));
    const earlier = await jobIds();
    await row.getByRole("button", { name: "Start airdrop" }).click();
    let newJobId: string | null | undefined;
    await expect.poll(async () => (newJobId = (await jobIds()).find((id) => !earlier.includes(id))), { timeout: 30_000 }).toBeTruthy();
    const job = page.locator(`.job[data-job-id="${newJobId}"]`);
    await job.and(page.locator("[data-state=completed]")).waitFor({ timeout: 60_000 });
    expect(await job.locator("progress").getAttribute("max")).toBe("5");
    expect(await job.locator("progress").evaluate((element) => (element as unknown as { value: number }).value)).toBe(5);
    expect(await job.locator(".job-numbers").textContent()).toContain("100%");
    const jobId = await job.getAttribute("data-job-id");

    await page.reload();
    const again = page.locator(`.job[data-job-id="${jobId}"]`);
    await again.and(page.locator("[data-state=completed]")).waitFor({ timeout: 30_000 });
    await context.close();
  }, 120_000);

  test("the issuer signs a voucher; closing an edition asks for confirmation: cancelled, nothing changes; confirmed, sealed", async () => {
    const { context, page } = await openPage({ signedIn: true });
    await page.goto(`/issuer?collection=${collection}`);
    const row = page.locator(`details.edition-row[data-edition-id="${createdEditionId}"]`);
    await row.locator("summary").click();

    // A voucher first: signed by the platform for the collector to redeem on-chain, handed over as a link.
    await page.fill(`#voucher-to-${createdEditionId}`, collectorB);
    await row.getByRole("button", { name: "Sign voucher" }).click();
    await row.getByText("Voucher signed").waitFor();
    const link = new URL((await row.getByTestId("voucher-signed").locator("a").getAttribute("href"))!, platform.server.url);
    expect(link.pathname).toBe("/redeem");
    expect({ to: link.searchParams.get("to"), quantity: link.searchParams.get("quantity") }).toEqual({ to: collectorB.toLowerCase(), quantity: "1" });
    expect(link.searchParams.get("signature")).toMatch(/^0x[0-9a-f]{130}$/);

    await row.getByRole("button", { name: "Close edition" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByText("Close this edition?").waitFor();
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    expect(await platform.call<{ sealed: boolean }>("GET", `/api/collections/${collection}/editions/${createdEditionId}`)).toMatchObject({ body: { sealed: false } });

    await row.getByRole("button", { name: "Close edition" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Close edition" }).click();
    await page.locator(`details.edition-row[data-edition-id="${createdEditionId}"] .badge`, { hasText: "Sealed" }).waitFor({ timeout: 30_000 });
    expect(await platform.call<{ sealed: boolean }>("GET", `/api/collections/${collection}/editions/${createdEditionId}`)).toMatchObject({ body: { sealed: true } });
    await context.close();
  }, 60_000);

  test("the token page shows the media, the serial, the full timeline and the verification, in under 200 KB of gzipped JS", async () => {
    const verify = await platform.call<{ verdict: string; checks: Array<{ name: string }> }>("GET", `/api/tokens/${collection}/1000001/verify`);
    const { context, page } = await openPage();
    const scripts: string[] = [];
    page.on("response", (response) => {
      if (new URL(response.url()).pathname.endsWith(".js")) scripts.push(new URL(response.url()).pathname);
    });
    await page.goto(`/tokens/${collection}/1000001`);
    await page.locator("[data-testid=serial]").waitFor();
    expect(await page.textContent("[data-testid=serial]")).toBe("#0001 / 10000");
    await expect.poll(() => page.evaluate("document.querySelector('.media-frame img')?.naturalWidth ?? 0"), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getAttribute("[data-testid=owner] a", "href")).toBe(`/owners/${collectorB.toLowerCase()}`);
    const kinds = await page.locator(".timeline-event").evaluateAll((events) => events.map((event) => (event as unknown as { dataset: { kind: string } }).dataset.kind));
    expect(kinds).toEqual(["mint", "transfer"]);
    expect(await page.locator(".timeline-event").first().textContent()).toContain("Minted by the issuer");
    // Attribution: the issuer's name and its address on chain, linked, under the serial and on the mint.
    const { body: tokenBody } = await platform.call<{ token: { issuer: { name: string | null; address: string } } }>("GET", `/api/tokens/${collection}/1000001`);
    const attribution = tokenBody.token.issuer;
    expect(attribution.address).toMatch(/^0x[0-9a-f]{40}$/);
    expect(await page.textContent("[data-testid=issued-by]")).toBe(`Issued by ${attribution.name} (${attribution.address.slice(0, 6)}…${attribution.address.slice(-4)})`);
    expect(await page.getAttribute("[data-testid=issued-by] a", "href")).toBe(`/owners/${attribution.address}`);
    expect(await page.textContent("[data-testid=timeline-issuer]")).toContain(`Issued by ${attribution.name}`);
    expect(await page.textContent("[data-testid=certificate-issuer]")).toContain(attribution.name);

    // The page runs the verifier itself (the platform's RPC and /ipfs as defaults) and shows its verdict
    // check by check: the API's checks but the one comparing the platform's own record.
    expect(verify.status).toBe(200);
    expect(verify.body.verdict).toBe("pass");
    await page.locator("[data-testid=browser-verification] [data-verdict=pass]").waitFor({ timeout: 30_000 });
    expect(await page.locator(".check-list .check").count()).toBe(verify.body.checks.filter((check) => check.name !== "api.provenance").length);
    await page.locator("[data-testid=platform-verdict] [data-platform-verdict=pass]").waitFor();
    await page.locator(".qr svg").first().waitFor();
    await page.waitForLoadState("networkidle");
    await screenshot(page, "token-en");

    // The printable certificate: only it prints, with the commitments and a QR code to this page.
    const token = await platform.call<{ token: { contentSha256: string; metadataCid: string } }>("GET", `/api/tokens/${collection}/1000001`);
    expect(await page.locator(".certificate").isVisible()).toBe(false);
    await page.emulateMedia({ media: "print" });
    expect(await page.locator(".certificate").isVisible()).toBe(true);
    expect(await page.locator(".page-token > .split").isVisible()).toBe(false);
    const certificate = (await page.locator(".certificate").textContent()) ?? "";
    for (const expected of ["Certificate of Authenticity", "#0001 / 10000", token.body.token.contentSha256, token.body.token.metadataCid, collection.toLowerCase()]) {
      expect(certificate).toContain(expected);
    }
    expect(await page.locator(".certificate .qr svg").count()).toBe(1);
    await screenshot(page, "certificate-en");
    await page.emulateMedia({ media: "screen" });

    // The verifier's own chunk loads after the page has drawn (for the in-browser verdict): its budget is its own.
    let gzipBytes = 0;
    let verifierGzipBytes = 0;
    for (const script of new Set(scripts)) {
      const bytes = gzipSync(await readFile(path.join(distDir, script))).byteLength;
      if (script.includes("runVerifierInBrowser")) verifierGzipBytes += bytes;
      else gzipBytes += bytes;
    }
    expect(scripts.some((script) => script.includes("model-viewer"))).toBe(false);
    expect(gzipBytes).toBeGreaterThan(0);
    expect(gzipBytes).toBeLessThan(JS_BUDGET_GZIP_BYTES);
    expect(verifierGzipBytes).toBeGreaterThan(0);
    expect(verifierGzipBytes).toBeLessThan(VERIFIER_BUDGET_GZIP_BYTES);
    await context.close();
  }, 60_000);

  test("the media box does not move or resize when the media arrives late (no layout shift)", async () => {
    const { context, page } = await openPage();
    await context.addInitScript(`
      window.__shifts = [];
      new PerformanceObserver((list) => { for (const entry of list.getEntries()) window.__shifts.push({ value: entry.value, at: entry.startTime }); })
        .observe({ type: "layout-shift", buffered: true });
    `);
    const token = await platform.call<{ token: { media: { gateway: string } } }>("GET", `/api/tokens/${collection}/1000002`);
    let releaseMedia: () => void = () => undefined;
    const mediaHeld = new Promise<void>((resolve) => (releaseMedia = resolve));
    await page.route(`**${token.body.token.media.gateway}`, async (route) => {
      await mediaHeld;
      await route.continue();
    });
    await page.goto(`/tokens/${collection}/1000002`);
    await page.locator("[data-testid=serial]").waitFor();
    await page.locator("[data-verdict]").waitFor();
    const before = await page.locator(".media-frame").boundingBox();
    const renderedAt = (await page.evaluate("performance.now()")) as number;
    releaseMedia();
    await expect.poll(() => page.evaluate("document.querySelector('.media-frame img')?.naturalWidth ?? 0"), { timeout: 15_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    expect(await page.locator(".media-frame").boundingBox()).toEqual(before);
    const shifts = (await page.evaluate("window.__shifts")) as Array<{ value: number; at: number }>;
    expect(shifts.filter((shift) => shift.at > renderedAt).reduce((sum, shift) => sum + shift.value, 0)).toBe(0);
    await context.close();
  }, 60_000);

  test("the token page holds at 375 px in both languages (nothing wider than the screen)", async () => {
    for (const locale of ["en-US", "zh-CN"] as const) {
      const { context, page } = await openPage({ locale, width: 375 });
      await page.goto(`/tokens/${collection}/1000001`);
      await page.locator("[data-verdict]").waitFor();
      await page.locator(".qr svg").first().waitFor();
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
      expect(await page.locator(".media-frame").boundingBox()).toMatchObject({ width: expect.any(Number) });
      expect((await page.locator(".media-frame").boundingBox())!.width).toBeLessThanOrEqual(375);
      await screenshot(page, `token-375-${locale === "en-US" ? "en" : "zh-CN"}`);
      await context.close();
    }
  }, 60_000);

  test("a Chinese browser gets the token page and the issuer console in Chinese; a switched language sticks", async () => {
    const { context, page } = await openPage({ locale: "zh-CN", signedIn: true });
    await page.goto(`/tokens/${collection}/1000001`);
    await page.locator("[data-verdict]").waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("zh-CN");
    expect(await page.locator("h1").textContent()).toBe("朱砂印");
    expect(await page.locator(".split-facts > .facts dt").first().textContent()).toBe("持有人");
    expect(await page.locator(".timeline-event").first().textContent()).toContain("发行方铸造");
    expect(await page.textContent("[data-testid=issued-by]")).toMatch(/^发行方：.+（0x[0-9a-f]{4}…[0-9a-f]{4}）$/);
    await page.locator(".verification-details summary").click();
    const summaries = await page.locator(".check-summary").allTextContents();
    expect(summaries.length).toBeGreaterThan(0);
    for (const summary of summaries) expect(summary).toMatch(/[\u4e00-\u9fff]/);
    await page.locator(".qr svg").first().waitFor();
    await screenshot(page, "token-zh-CN");

    await page.goto("/issuer");
    await page.getByText("发行与管理版次").waitFor();
    await page.locator(`details.edition-row[data-edition-id="1"] summary`).click();
    await page.getByRole("button", { name: "开始空投" }).waitFor();
    await screenshot(page, "issuer-console-zh-CN");
    await page.setViewportSize({ width: 375, height: 900 });
    expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(375);
    await screenshot(page, "issuer-console-375-zh-CN");
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.selectOption("#language", "en");
    await page.getByText("Issue and manage editions").waitFor();
    await page.reload();
    await page.getByText("Issue and manage editions").waitFor();
    expect(await page.getAttribute("html", "lang")).toBe("en");
    await context.close();
  }, 60_000);

  test("the 3D token loads the model viewer on demand; the other pages render (screenshots)", async () => {
    const { context, page } = await openPage();
    await page.goto(`/tokens/${collection}/2000001`);
    await page.locator("model-viewer").waitFor();
    await expect.poll(() => page.evaluate("Boolean(customElements.get('model-viewer'))"), { timeout: 30_000 }).toBe(true);
    await expect.poll(() => page.evaluate("document.querySelector('model-viewer').loaded === true"), { timeout: 30_000 }).toBe(true);
    await screenshot(page, "token-3d-en");

    await page.goto("/");
    await page.locator(".card").first().waitFor();
    await screenshot(page, "home-en");
    await page.fill("#search", "#1");
    await page.getByRole("button", { name: "Search" }).click();
    await page.locator(".search-results .card").first().waitFor();

    await page.goto(`/collections/${collection}/editions/1`);
    await page.locator(".serial-cell").first().waitFor();
    expect(await page.textContent("[data-testid=minted]")).toBe("8");
    await screenshot(page, "edition-en");

    await page.goto(`/owners/${collectorB}`);
    await page.locator(".card").first().waitFor();
    await screenshot(page, "owner-en");

    await context.close();

    const chinese = await openPage({ locale: "zh-CN" });
    await chinese.page.goto("/");
    await chinese.page.locator(".card").first().waitFor();
    await screenshot(chinese.page, "home-zh-CN");
    await chinese.page.goto(`/collections/${collection}/editions/1`);
    await chinese.page.locator(".serial-cell").first().waitFor();
    await screenshot(chinese.page, "edition-zh-CN");
    await chinese.context.close();

    expect(pageErrors).toEqual([]);
  }, 90_000);

  test("my collection: typed in, or from an EIP-1193 wallet when one is present (never required)", async () => {
    const plain = await openPage();
    await plain.page.goto("/owners");
    await plain.page.locator("#owner-address").waitFor();
    expect(await plain.page.getByRole("button", { name: "Use my wallet" }).count()).toBe(0);
    await plain.page.fill("#owner-address", "not-an-address");
    await plain.page.getByRole("button", { name: "Show holdings" }).click();
    expect(await plain.page.textContent("#owner-error")).toContain("not an address");
    await plain.page.fill("#owner-address", collectorB);
    await plain.page.getByRole("button", { name: "Show holdings" }).click();
    await plain.page.locator(".card").first().waitFor();
    expect(plain.page.url()).toContain(`/owners/${collectorB}`);
    await plain.context.close();

    const withWallet = await openPage();
    await withWallet.context.addInitScript(`window.ethereum = { request: async ({ method }) => method === "eth_requestAccounts" ? [${JSON.stringify(collectorA)}] : null };`);
    await withWallet.page.goto("/owners");
    await withWallet.page.getByRole("button", { name: "Use my wallet" }).click();
    await withWallet.page.locator(".card").first().waitFor();
    expect(withWallet.page.url()).toContain(`/owners/${collectorA}`);
    const held = await platform.call<{ tokens: unknown[] }>("GET", `/api/owners/${collectorA}/tokens?limit=200`);
    expect(await withWallet.page.locator(".card").count()).toBe(held.body.tokens.length);
    await withWallet.context.close();
  }, 60_000);

  test("every form control has a label, and the keyboard reaches the content first through a skip link", async () => {
    const { context, page } = await openPage({ signedIn: true });
    const unlabelled = `[...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
      .filter((control) => control.labels.length === 0 && !control.getAttribute("aria-label"))
      .map((control) => control.id || control.name || control.outerHTML.slice(0, 80))`;
    for (const route of ["/", "/owners", "/audit", "/issuer", `/collections/${collection}/editions/1`]) {
      await page.goto(route);
      await page.locator("main h1").first().waitFor();
      if (route === "/issuer") await page.locator("details.edition-row summary").first().click();
      expect(await page.evaluate(unlabelled), route).toEqual([]);
    }

    await page.goto("/");
    await page.locator("main h1").waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate("document.activeElement.textContent")).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate("document.activeElement.id")).toBe("main");
    await context.close();
  }, 60_000);

  test("the auditor pastes a contract and a token and gets the report check by check", async () => {
    const verify = await platform.call<{ verdict: string; checks: Array<{ name: string }> }>("GET", `/api/tokens/${collection}/1000001/verify`);
    const { context, page } = await openPage();
    await page.goto("/audit");
    await page.fill("#audit-contract", "0x1234");
    await page.fill("#audit-subject", "1000001");
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    expect(await page.textContent("#audit-error")).toContain("0x followed by 40 hex digits");

    await page.fill("#audit-contract", collection);
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    expect(verify.status).toBe(200);
    await page.locator(".report[data-verdict=pass]").waitFor({ timeout: 30_000 });
    // Run in this browser: every check of the API's report but the one comparing the platform's own record.
    expect(await page.locator(".audit-check").count()).toBe(verify.body.checks.filter((check) => check.name !== "api.provenance").length);
    expect(await page.locator("[data-testid=report-trusted] [data-testid=trusted-rpc] [data-trust=platform]").count()).toBe(1);
    await page.getByRole("button", { name: "Download report (JSON)" }).waitFor();
    expect(await page.getAttribute("a[download$='.car']", "href")).toBe(`/api/collections/${collection}/editions/1/bundle.car`);

    // A whole edition: progress, then the edition's own checks and one report per token.
    await page.check("#kind-edition");
    await page.fill("#audit-subject", "2");
    await page.getByRole("button", { name: "Verify", exact: true }).click();
    await expect.poll(() => page.locator(".report[data-verdict=pass]").count(), { timeout: 30_000 }).toBe(3);
    expect(page.url()).toContain(`/audit?contract=${collection}&edition=2`);
    await page.goto(`/audit?contract=${collection}&token=1000001`);
    await page.locator(".report[data-verdict=pass]").waitFor();
    expect(page.url()).toContain(`/audit?contract=${collection}&token=1000001`);
    await screenshot(page, "audit-en");
    await context.close();
  }, 60_000);
});
