import type { TransferPolicy } from "vermilion-verify/shared/transferPolicy.js";

import { locale, t } from "./i18n/i18n.js";

/** A block time (unix seconds) in the reader's language. */
export function formatDateTime(unixSeconds: number): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(unixSeconds * 1000));
}

export function formatDate(value: Date): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: "long" }).format(value);
}

export function formatNumber(value: number): string {
  return new Intl.NumberFormat(locale()).format(value);
}

export function formatPercent(fraction: number): string {
  return new Intl.NumberFormat(locale(), { style: "percent", maximumFractionDigits: 2 }).format(fraction);
}

/** "#0042 / 10000": the serial padded to the width of the largest serial below the edition size. */
export function formatSerial(serial: number, maxSupply: number): string {
  const width = String(Math.max(1, maxSupply - 1)).length;
  return `#${String(serial).padStart(width, "0")} / ${maxSupply}`;
}

/** `0x3c44…93bc`: enough to recognise, with the full address in a title/aria-label. */
export function shortAddress(address: string): string {
  return address.length > 14 ? `${address.slice(0, 6)}…${address.slice(-4)}` : address;
}

export function shortHash(hash: string): string {
  return hash.length > 20 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash;
}

/** A duration in the largest whole unit (days, hours, minutes), spelled per locale. */
export function formatDuration(seconds: number): string {
  const units: Array<[Intl.NumberFormatOptions["unit"], number]> = [
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ];
  for (const [unit, size] of units) {
    if (seconds >= size && seconds % size === 0) {
      return new Intl.NumberFormat(locale(), { style: "unit", unit, unitDisplay: "long" }).format(seconds / size);
    }
  }
  return new Intl.NumberFormat(locale(), { style: "unit", unit: "second", unitDisplay: "long" }).format(seconds);
}

/** The transfer policy in words, as the API gives it (editions and tokens alike): a policy and its hold. */
export function describeTransferPolicy(policy: TransferPolicy, holdSeconds: number): string {
  if (policy === "hold") return t("policy.hold", { duration: formatDuration(holdSeconds) });
  if (policy === "soulbound") return t("policy.soulbound");
  return t("policy.free");
}
