import type { GasResults } from "./gasResults.js";

const gas = (value: number) => value.toLocaleString("en-US");
const signed = (value: number) => `${value > 0 ? "+" : "−"}${gas(Math.abs(value))}`;

/**
 * What moved since the run this one replaced: every figure of a Vermilion column and every deployment
 * that differs, so a change of the contract shows its price everywhere (a new function also moves the
 * dispatcher's cost of others), and "unchanged" is a measured statement rather than a claim.
 */
export function previousRunSection(results: GasResults): string[] {
  const previous = results.previousRun;
  if (!previous) return [];
  const rows: string[] = [];
  let unchanged = 0;
  for (const scenario of results.scenarios) {
    const before = previous.scenarios.find((candidate) => candidate.scenario === scenario.scenario);
    if (!before) continue;
    for (const contract of results.contracts.filter((name) => name.startsWith("Vermilion"))) {
      const now = scenario.gasByContract[contract];
      const then = before.gasByContract[contract];
      if (now == null || then == null) continue;
      if (now === then) unchanged += 1;
      else rows.push(`| ${scenario.scenario} | ${contract} | ${gas(then)} | ${gas(now)} | ${signed(now - then)} |`);
    }
  }
  for (const [contract, now] of Object.entries(results.issuerAccounts?.createEditionGas ?? {})) {
    const then = previous.createEditionGas?.[contract];
    if (then === undefined) continue;
    if (now === then) unchanged += 1;
    else rows.push(`| createEdition | ${contract} | ${gas(then)} | ${gas(now)} | ${signed(now - then)} |`);
  }
  for (const [how, now] of Object.entries(results.deploymentGas)) {
    const then = previous.deploymentGas[how];
    if (then === undefined) continue;
    if (now === then) unchanged += 1;
    else rows.push(`| deploy: ${how} | | ${gas(then)} | ${gas(now)} | ${signed(now - then)} |`);
  }
  const added = results.scenarios.filter((scenario) => !previous.scenarios.some((candidate) => candidate.scenario === scenario.scenario));
  const lines = ["### Since the previous run", ""];
  lines.push(
    `Against the results this run replaced (generated ${previous.generatedAt}): ${rows.length} Vermilion figure(s) moved, ` +
      `${unchanged} did not` +
      (added.length > 0 ? `; new scenarios: ${added.map((scenario) => scenario.scenario).join(", ")}.` : ".") +
      " A function added to the contract moves the selector dispatch, and so the cost, of others by a few dozen gas.",
  );
  if (rows.length > 0) {
    lines.push("");
    lines.push("| scenario | column | before | now | difference |");
    lines.push("| --- | --- | ---: | ---: | ---: |");
    lines.push(...rows);
  }
  return lines;
}
