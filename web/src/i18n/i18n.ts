import i18next from "i18next";

import en from "./en.json";
import zhCN from "./zh-CN.json";
import claimsEn from "./features/claims.en.json";
import claimsZhCN from "./features/claims.zh-CN.json";
import consoleEn from "./features/console.en.json";
import consoleZhCN from "./features/console.zh-CN.json";
import giftingEn from "./features/gifting.en.json";
import giftingZhCN from "./features/gifting.zh-CN.json";
import vouchersEn from "./features/vouchers.en.json";
import vouchersZhCN from "./features/vouchers.zh-CN.json";
import verifyEn from "./features/verify.en.json";
import verifyZhCN from "./features/verify.zh-CN.json";

export type Locale = "en" | "zh-CN";
export const LOCALES: Locale[] = ["en", "zh-CN"];
const STORAGE_KEY = "vermilion.locale";

/** The saved choice, else the browser's first language we speak, else English. */
export function detectLocale(): Locale {
  const saved = readSaved();
  if (saved) return saved;
  for (const language of navigator.languages ?? [navigator.language]) {
    if (/^zh\b/i.test(language)) return "zh-CN";
    if (/^en\b/i.test(language)) return "en";
  }
  return "en";
}

function readSaved(): Locale | null {
  try {
    const value = localStorage.getItem(STORAGE_KEY);
    return value === "en" || value === "zh-CN" ? value : null;
  } catch {
    return null;
  }
}

/** One catalogue for every string; keys are flat ("token.owner"), so a key is greppable as written. */
export async function initI18n(): Promise<void> {
  await i18next.init({
    lng: detectLocale(),
    fallbackLng: false,
    // One flat catalogue per language, kept in files per feature (features/<name>.<locale>.json) so
    // that work on one feature does not touch another's strings.
    resources: {
      en: { translation: { ...en, ...claimsEn, ...consoleEn, ...giftingEn, ...vouchersEn, ...verifyEn } },
      "zh-CN": { translation: { ...zhCN, ...claimsZhCN, ...consoleZhCN, ...giftingZhCN, ...vouchersZhCN, ...verifyZhCN } },
    },
    keySeparator: false,
    nsSeparator: false,
    // Text is always set through textContent, never as HTML.
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  document.documentElement.lang = locale();
}

export function locale(): Locale {
  return i18next.language === "zh-CN" ? "zh-CN" : "en";
}

/** Switches the language and remembers it for the next visit. */
export async function setLocale(next: Locale): Promise<void> {
  await i18next.changeLanguage(next);
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode: the choice holds for this page only.
  }
}

/** A catalogue string. Every key must exist in both languages (test/web/catalogue.test.ts). */
export function t(key: string, values?: Record<string, string | number>): string {
  return i18next.t(key, values ?? {});
}
