import type { BrowserVerifyOutcome } from "./runVerifierInBrowser.js";

import { t } from "../i18n/i18n.js";

/** The sentence for a run that could not reach an endpoint: which one, at what address, and why. */
export function describeUnreachable(outcome: Extract<BrowserVerifyOutcome<unknown>, { ok: false }>): string {
  return outcome.unreachable === "rpc"
    ? t("browserVerify.rpcUnreachable", { url: outcome.url, reason: outcome.reason })
    : t("browserVerify.gatewayUnreachable", { url: outcome.url, reason: outcome.reason });
}
