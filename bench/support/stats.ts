/** Min, median and max of repeated measurements of one figure. */
export interface Spread {
  min: number;
  median: number;
  max: number;
  runs: number;
}

/** The spread of `samples` (at least one), rounded to `digits` decimals. */
export function spreadOf(samples: readonly number[], digits = 2): Spread {
  if (samples.length === 0) throw new Error("spreadOf needs at least one sample");
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (value: number) => Math.round(value * 10 ** digits) / 10 ** digits;
  const middle = sorted.length % 2 === 1
    ? sorted[(sorted.length - 1) / 2]!
    : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
  return { min: round(sorted[0]!), median: round(middle), max: round(sorted.at(-1)!), runs: sorted.length };
}

/** The q-quantile (0..1) of `samples` by the nearest-rank method. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) throw new Error("quantile needs at least one sample");
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** "min / median / max" for a table cell. */
export function formatSpread(spread: Spread | undefined, digits = 1): string {
  if (!spread) return "—";
  const format = (value: number) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return `${format(spread.min)} / ${format(spread.median)} / ${format(spread.max)}`;
}
