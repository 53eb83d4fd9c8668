import { RATE_LIMIT_RULES } from "../../server/config/rateLimitRules.js";

/**
 * Every RATE_LIMIT_* variable raised out of reach: the limiters stay in the request path, so their cost
 * is measured, but the load is served rather than refused. Spread before the environment, so a run can
 * still set a limit of its own (a hostile-load run does). The issuer gas budget (ISSUER_GAS_BUDGET_ETH,
 * 1 ETH a day by default) is raised too: three rounds of a 10,000-recipient airdrop spend more than that
 * on Anvil, and the budget would rightly set the benchmark's jobs waiting (ISSUER_GAS_BUDGET_EXCEEDED).
 */
export const RAISED_RATE_LIMITS: Record<string, string> = {
  ...Object.fromEntries(Object.values(RATE_LIMIT_RULES).map((rule) => [rule.env, "100000000/1m"])),
  ISSUER_GAS_BUDGET_ETH: "1000000",
};
