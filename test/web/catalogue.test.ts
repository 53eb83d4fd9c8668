import { readFile, readdir } from "node:fs/promises";
import path from "node:path";

import { describe, expect, test } from "vitest";

const webSource = path.resolve(import.meta.dirname, "..", "..", "web", "src");

/** The base catalogue and every feature's (web/src/i18n/features/<name>.<locale>.json), as one; a key defined twice fails. */
async function readCatalogue(locale: string): Promise<Record<string, string>> {
  const merged = JSON.parse(await readFile(path.join(webSource, "i18n", `${locale}.json`), "utf8")) as Record<string, string>;
  const featuresDir = path.join(webSource, "i18n", "features");
  for (const name of (await readdir(featuresDir)).filter((file) => file.endsWith(`.${locale}.json`)).sort()) {
    const feature = JSON.parse(await readFile(path.join(featuresDir, name), "utf8")) as Record<string, string>;
    for (const key of Object.keys(feature)) expect(merged, `${name} redefines ${key}`).not.toHaveProperty([key]);
    Object.assign(merged, feature);
  }
  return merged;
}

/** Every key the front end asks for: `t("key"` as written (keys are never computed, so this finds them all). */
async function keysUsedInSource(): Promise<Set<string>> {
  const used = new Set<string>();
  const entries = await readdir(webSource, { withFileTypes: true, recursive: true });
  for (const entry of entries) {
    if (!entry.isFile() || !entry.name.endsWith(".ts")) continue;
    const source = await readFile(path.join(entry.parentPath, entry.name), "utf8");
    for (const match of source.matchAll(/\bt\(\s*"([^"]+)"/g)) used.add(match[1]!);
    // A computed key would escape this check: refuse it (the catalogue's own `t` definition aside).
    if (entry.name !== "i18n.ts") expect(source, `${entry.name} passes a computed key to t()`).not.toMatch(/(?<![.\w])t\(\s*[^"\s)]/);
  }
  return used;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{(\w+)\}\}/g)].map((match) => match[1]!).sort();
}

describe("the message catalogue (web/src/i18n)", () => {
  test("has every key in both English and Simplified Chinese, none empty", async () => {
    const en = await readCatalogue("en");
    const zh = await readCatalogue("zh-CN");
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
    for (const [key, text] of [...Object.entries(en), ...Object.entries(zh)]) expect(text.trim(), key).not.toBe("");
  });

  test("uses the same placeholders in both languages", async () => {
    const en = await readCatalogue("en");
    const zh = await readCatalogue("zh-CN");
    for (const key of Object.keys(en)) expect(placeholders(zh[key] ?? ""), key).toEqual(placeholders(en[key]!));
  });

  test("defines every key web/src uses, and no key it does not use", async () => {
    const en = await readCatalogue("en");
    const used = await keysUsedInSource();
    const defined = new Set(Object.keys(en));
    expect([...used].filter((key) => !defined.has(key)), "used but missing from the catalogue").toEqual([]);
    expect([...defined].filter((key) => !used.has(key)), "in the catalogue but unused").toEqual([]);
  });
});
