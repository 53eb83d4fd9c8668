import type { GasResults } from "./gasResults.js";

import { OLDER_EVM_CLONE } from "./gasResults.js";

const PRAGUE_CLONE = "Vermilion (EIP-1167 clone)";

const gas = (value: number) => value.toLocaleString("en-US");
const change = (now: number, before: number) => {
  const difference = now - before;
  const sign = difference === 0 ? "±" : difference > 0 ? "+" : "−";
  return `${sign}${gas(Math.abs(difference))} (${sign}${((Math.abs(difference) / before) * 100).toFixed(2)} %)`;
};

/**
 * The gas report's part about the older EVM's build (issue 21): the same operations through a clone of
 * that build beside today's prague clone, and what deploying it costs.
 */
export function olderEvmSection(results: GasResults): string[] {
  const older = results.olderEvm;
  if (!older) return [];
  const lines: string[] = [];
  lines.push(`### The ${older.build} build (chains without PUSH0 or MCOPY)`);
  lines.push("");
  lines.push(
    `The same contracts compiled for \`${older.build}\` (docs/verification.md#published-builds), deployed as the platform does on such a chain ` +
      "and measured on the same in-process chain from the same snapshot: the code differs (no `PUSH0`, memory copied " +
      "by loops instead of `MCOPY`), the opcode prices do not. On a chain before Berlin (no EIP-2929 access lists) " +
      "storage reads and calls are priced differently, and these figures do not apply there.",
  );
  const extra = results.scenarios
    .map((scenario) => ({ prague: scenario.gasByContract[PRAGUE_CLONE], olderGas: scenario.gasByContract[OLDER_EVM_CLONE] }))
    .filter((pair): pair is { prague: number; olderGas: number } => pair.prague != null && pair.olderGas != null)
    .map((pair) => ({ difference: pair.olderGas - pair.prague, share: (pair.olderGas - pair.prague) / pair.prague }));
  if (extra.length > 0) {
    const most = extra.reduce((a, b) => (b.share > a.share ? b : a));
    lines.push("");
    lines.push(
      `Per transaction the ${older.build} build costs at most ${(most.share * 100).toFixed(2)} % more than prague's ` +
        `(${gas(most.difference)} gas): a \`PUSH1 0\` where prague has \`PUSH0\` costs 1 more gas, and copies are loops.`,
    );
  }
  lines.push("");
  lines.push(`| scenario | prague clone | ${older.build} clone | ${older.build} − prague |`);
  lines.push("| --- | ---: | ---: | ---: |");
  for (const scenario of results.scenarios) {
    const prague = scenario.gasByContract[PRAGUE_CLONE];
    const olderGas = scenario.gasByContract[OLDER_EVM_CLONE];
    if (prague == null || olderGas == null) continue;
    lines.push(`| ${scenario.scenario} | ${gas(prague)} | ${gas(olderGas)} | ${change(olderGas, prague)} |`);
  }
  for (const [what, olderGas] of Object.entries(older.deploymentGas)) {
    const prague = older.pragueDeploymentGas[what];
    if (prague === undefined) continue;
    lines.push(`| deploy: ${what} | ${gas(prague)} | ${gas(olderGas)} | ${change(olderGas, prague)} |`);
  }
  return lines;
}
