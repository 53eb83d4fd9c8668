import type { GasResults } from "./gasResults.js";

import { ISSUER_ACCOUNTS } from "./gasResults.js";

/** The collection column of today's layout: the platform's key is admin and issuer. */
const TODAY = "Vermilion (EIP-1167 clone)";

/** Scenarios compared between the two layouts, by name in the results. */
const COMPARED = [
  "mint 1 to one address",
  "mint 10 to one address",
  "mint 100 to one address",
  "airdrop 10 (one each)",
  "redeem a voucher (1 token)",
  "first transferFrom of #51 of a 100-batch",
  "second transferFrom of #51 of a 100-batch",
];

/** Transactions whose funding overhead is shown: the ones an operating key sends most. */
const FUNDED = ["mint 1 to one address", "mint 100 to one address", "airdrop 10 (one each)"];

const gas = (value: number) => value.toLocaleString("en-US");
const signed = (value: number) => (value === 0 ? "0" : `${value > 0 ? "+" : "−"}${gas(Math.abs(value))}`);

/**
 * The gas report's part about issuer accounts (issue 18): what the new role layout costs per
 * transaction beside today's, and what paying issuers' gas by top-ups adds, amortised.
 * `targetsMet` tells, per column, whether every target of the report holds.
 */
export function issuerAccountsSection(results: GasResults, targetsMet: (contract: string) => { met: number; of: number }): string[] {
  const accounts = results.issuerAccounts;
  if (!accounts || !results.contracts.includes(ISSUER_ACCOUNTS)) return [];
  const lines: string[] = [];
  lines.push("### Issuer accounts: the role layout and its funding");
  lines.push("");
  lines.push(
    `Today every collection's admin and issuer is the platform's key ("${TODAY}" above). With issuer accounts ` +
      `("${ISSUER_ACCOUNTS}"), the factory names the issuer's address as admin and its operating key as issuer; ` +
      "the operating key sends the edition and the mints and signs the vouchers. The factory grants it the issuing " +
      "role first, so it is the collection's primary issuer (the word beside the pause flag), as the platform's key is today.",
  );
  lines.push("");
  lines.push(`| transaction | today (platform key) | issuer accounts (operating key) | difference |`);
  lines.push("| --- | ---: | ---: | ---: |");
  const row = (name: string, today: number | null | undefined, withAccounts: number | null | undefined) => {
    if (today == null || withAccounts == null) return;
    lines.push(`| ${name} | ${gas(today)} | ${gas(withAccounts)} | ${signed(withAccounts - today)} |`);
  };
  row("createCollection (factory)", results.deploymentGas["createCollection (EIP-1167 clone + initialize)"], Object.entries(results.deploymentGas).find(([how]) => how.includes("issuer accounts"))?.[1]);
  row("createEdition", accounts.createEditionGas[TODAY], accounts.createEditionGas[ISSUER_ACCOUNTS]);
  for (const name of COMPARED) {
    const scenario = results.scenarios.find((candidate) => candidate.scenario === name);
    row(name, scenario?.gasByContract[TODAY], scenario?.gasByContract[ISSUER_ACCOUNTS]);
  }
  lines.push("");
  lines.push("(The factory call differs by calldata alone: two distinct addresses instead of one twice.)");
  const mint1 = results.scenarios.find((candidate) => candidate.scenario === "mint 1 to one address")!.gasByContract[ISSUER_ACCOUNTS]!;
  lines.push("");
  lines.push(
    `A key the admin grants the issuing role later (not the primary issuer: e.g. one granted back after taking custody ` +
      `while another key keeps the slot) pays the role lookup on every mint: mint 1 costs ${gas(accounts.mintBySecondIssuingKeyGas)} ` +
      `(${signed(accounts.mintBySecondIssuingKeyGas - mint1)}). The hand-over of an older collection ` +
      "(`npm run issuers:hand-over`) revokes the platform's key before granting the operating key, so that the operating key takes the slot.",
  );

  const topUpWei = BigInt(accounts.topUpWei);
  const fee = BigInt(accounts.feeWeiPerGas);
  const gwei = Number(fee) / 1e9;
  lines.push("");
  lines.push(
    `**Funding.** The platform pays issuers' gas by topping up their keys from its funding key: a plain transfer of ` +
      `${gas(accounts.topUpGas)} gas (measured) that sends ISSUER_GAS_TOP_UP_ETH (default ${Number(topUpWei) / 1e18} ETH). ` +
      `At the fee this chain charged the operating key's mint (${gwei.toLocaleString("en-US", { maximumSignificantDigits: 4 })} gwei per gas), one top-up pays for:`,
  );
  lines.push("");
  lines.push("| transaction | gas | transactions per top-up | top-up gas per transaction | per token |");
  lines.push("| --- | ---: | ---: | ---: | ---: |");
  for (const name of FUNDED) {
    const scenario = results.scenarios.find((candidate) => candidate.scenario === name);
    const used = scenario?.gasByContract[ISSUER_ACCOUNTS];
    if (!scenario || used == null) continue;
    const perTopUp = topUpWei / (BigInt(used) * fee);
    const overhead = accounts.topUpGas / Number(perTopUp);
    lines.push(
      `| ${name} | ${gas(used)} | ${gas(Number(perTopUp))} | ${overhead.toFixed(1)} | ${(overhead / scenario.tokens).toFixed(2)} |`,
    );
  }
  const share = (accounts.topUpGas * Number(fee)) / Number(topUpWei);
  lines.push("");
  lines.push(
    `The overhead is ${(share * 100).toFixed(4)} % of whatever the key spends (top-up gas × fee ÷ top-up amount, whatever the ` +
      `transaction): it grows with the fee, to ${((accounts.topUpGas * 100e9) / Number(topUpWei) * 100).toFixed(2)} % at 100 gwei, ` +
      "and shrinks with a larger ISSUER_GAS_TOP_UP_ETH. Relaying (ERC-2771) would instead add a forwarder's signature check " +
      "and calldata to every transaction.",
  );
  const today = targetsMet(TODAY);
  const withAccounts = targetsMet(ISSUER_ACCOUNTS);
  lines.push("");
  lines.push(
    `**Targets.** With issuer accounts the collection meets ${withAccounts.met} of ${withAccounts.of} targets, as today's ` +
      `layout meets ${today.met} of ${today.of}` +
      (withAccounts.met === today.met
        ? ": the new role layout changes no figure the targets judge, and the two it misses through the clone are the proxy's (below), not the roles'."
        : ": see the targets table of each column."),
  );
  return lines;
}
