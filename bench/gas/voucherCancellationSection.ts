import type { GasResults } from "./gasResults.js";

import { CANCEL_HUNDRED, CANCEL_HUNDRED_ONE_WORD, CANCEL_ONE, ISSUER_ACCOUNTS } from "./gasResults.js";

const CLONE = "Vermilion (EIP-1167 clone)";
const DIRECT = "Vermilion (direct)";
const REDEEM = "redeem a voucher (1 token)";

const gas = (value: number) => value.toLocaleString("en-US");
const signed = (value: number) => (value === 0 ? "±0" : `${value > 0 ? "+" : "−"}${gas(Math.abs(value))}`);

/**
 * The gas report's part about voucher cancellation (issue 19): what `cancelVouchers` costs per nonce, and
 * whether redeeming got dearer for it, against the run this one replaced.
 */
export function voucherCancellationSection(results: GasResults): string[] {
  const scenarios = [CANCEL_ONE, CANCEL_HUNDRED, CANCEL_HUNDRED_ONE_WORD]
    .map((name) => results.scenarios.find((candidate) => candidate.scenario === name))
    .filter((scenario) => scenario !== undefined);
  if (scenarios.length === 0) return [];
  const columns = [CLONE, DIRECT, ISSUER_ACCOUNTS].filter((name) => results.contracts.includes(name));
  const nonces = (name: string) => (name === CANCEL_ONE ? 1 : 100);
  const lines: string[] = [];
  lines.push("### Voucher cancellation");
  lines.push("");
  const cloneGas = (name: string) => scenarios.find((scenario) => scenario.scenario === name)?.gasByContract[CLONE];
  const [one, hundred, oneWord] = [cloneGas(CANCEL_ONE), cloneGas(CANCEL_HUNDRED), cloneGas(CANCEL_HUNDRED_ONE_WORD)];
  const marginal =
    one != null && hundred != null && oneWord != null
      ? ` Each further nonce costs ${gas(Math.round((hundred - one) / 99))} gas in a word of its own and ` +
        `${gas(Math.round((oneWord - one) / 99))} in a word already written (mostly its log and calldata), through the clone.`
      : "";
  lines.push(
    "`cancelVouchers(nonces)` (issuing role) marks each nonce spent and cancelled: two bits per nonce, 128 nonces a " +
      "word (spent bits in its low half, cancelled bits in its high half), so `redeem` reads one word, tests the spent " +
      "bit as a one-bit map would, and looks at the cancelled bit only to name its refusal (`VoucherNonceCancelled`). " +
      "The platform's nonces are 128 random bits, so each usually sits in a word of its own and its cancellation " +
      "writes that word from zero; a `VoucherCancelled` log per nonce." +
      marginal,
  );
  lines.push("");
  lines.push(`| scenario | ${columns.join(" | ")} | per nonce (clone) |`);
  lines.push(`| --- | ${columns.map(() => "---:").join(" | ")} | ---: |`);
  for (const scenario of scenarios) {
    const clone = scenario.gasByContract[CLONE];
    const perNonce = clone == null ? "—" : gas(Math.round(clone / nonces(scenario.scenario)));
    lines.push(
      `| ${scenario.scenario} | ${columns.map((name) => { const value = scenario.gasByContract[name]; return value == null ? "—" : gas(value); }).join(" | ")} | ${perNonce} |`,
    );
  }
  const redeemNow = results.scenarios.find((candidate) => candidate.scenario === REDEEM)?.gasByContract;
  const redeemBefore = results.previousRun?.scenarios.find((candidate) => candidate.scenario === REDEEM)?.gasByContract;
  if (redeemNow && redeemBefore) {
    const compared = [CLONE, DIRECT]
      .filter((name) => redeemNow[name] != null && redeemBefore[name] != null)
      .map((name) => `${name}: ${gas(redeemBefore[name]!)} → ${gas(redeemNow[name]!)} (${signed(redeemNow[name]! - redeemBefore[name]!)})`);
    lines.push("");
    lines.push(
      `**Redeeming** a voucher, against the run this one replaced (${results.previousRun!.generatedAt}): ${compared.join("; ")}.`,
    );
  }
  return lines;
}
