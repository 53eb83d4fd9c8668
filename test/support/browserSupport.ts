import type { Browser } from "playwright-core";

import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import { chromium } from "playwright-core";

/** Debian's Chromium (`apt-get install chromium`): Playwright's own download cannot work on this machine. */
export const CHROMIUM = "/usr/bin/chromium";

/** Headless Chromium that opens no connection of its own (no updates, sync or background fetches). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
}

export type BrowserLocale = "en-US" | "zh-CN";
export type Catalogue = Record<string, string>;

const i18nDir = path.resolve(import.meta.dirname, "..", "..", "web", "src", "i18n");

/** The page's message catalogue in one language, as web/src/i18n/i18n.ts merges it (base + every feature's). */
async function readCatalogue(file: "en" | "zh-CN"): Promise<Catalogue> {
  const merged = JSON.parse(await readFile(path.join(i18nDir, `${file}.json`), "utf8")) as Catalogue;
  for (const name of (await readdir(path.join(i18nDir, "features"))).filter((entry) => entry.endsWith(`.${file}.json`))) {
    Object.assign(merged, JSON.parse(await readFile(path.join(i18nDir, "features", name), "utf8")) as Catalogue);
  }
  return merged;
}

/**
 * Both catalogues, and `text(locale, key, values)`: a string as the page shows it, so a test finds
 * elements by the words a reader sees in either language.
 */
export async function readCatalogues(): Promise<{
  catalogues: Record<BrowserLocale, Catalogue>;
  text: (locale: BrowserLocale, key: string, values?: Record<string, string | number>) => string;
}> {
  const catalogues: Record<BrowserLocale, Catalogue> = { "en-US": await readCatalogue("en"), "zh-CN": await readCatalogue("zh-CN") };
  const text = (locale: BrowserLocale, key: string, values: Record<string, string | number> = {}): string => {
    const template = catalogues[locale][key];
    if (template === undefined) throw new Error(`no catalogue key ${key}`);
    return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(values[name]));
  };
  return { catalogues, text };
}

export type CatalogueText = Awaited<ReturnType<typeof readCatalogues>>["text"];

/** Reads until `done` holds (every 200 ms, for up to a minute): for state the page changes through the API or the chain. */
export async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let attempt = 0; attempt < 300; attempt += 1) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}
