import type { TrustedEndpoints } from "./runVerifierInBrowser.js";
import type { ChosenEndpoints } from "./pageVerifyEndpoints.js";

import { h } from "../dom.js";
import { t } from "../i18n/i18n.js";

function whose(trustsPlatform: boolean): HTMLElement {
  return trustsPlatform
    ? h("span", { class: "badge badge-warn small", "data-trust": "platform" }, t("browserVerify.trustingPlatform"))
    : h("span", { class: "badge small", "data-trust": "reader" }, t("browserVerify.readersChoice"));
}

/**
 * What an in-browser run trusted: the RPC endpoint, the gateway and the factory, each marked as this
 * platform's ("trusting this platform") or the reader's; after a run, the chain and block it read.
 */
export function trustedEndpointsList(endpoints: ChosenEndpoints | TrustedEndpoints): HTMLElement {
  const gatewayText = endpoints.trustsPlatform.gateway && endpoints.gatewayUrl === location.origin ? `${endpoints.gatewayUrl} (${t("browserVerify.thisSite")})` : endpoints.gatewayUrl;
  const row = (label: string, value: string, trustsPlatform: boolean | null, testId: string) =>
    h("div", { "data-testid": testId }, h("dt", null, label), h("dd", null, h("code", { class: "mono" }, value), trustsPlatform === null ? null : [" ", whose(trustsPlatform)]));
  return h(
    "dl",
    { class: "facts trusted-endpoints", "aria-label": t("browserVerify.trustedTitle") },
    row(t("browserVerify.rpc"), endpoints.rpcUrl, endpoints.trustsPlatform.rpc, "trusted-rpc"),
    row(t("browserVerify.gateway"), gatewayText, endpoints.trustsPlatform.gateway, "trusted-gateway"),
    row(t("browserVerify.factory"), endpoints.factory, endpoints.trustsPlatform.factory, "trusted-factory"),
    "pinnedBlock" in endpoints
      ? row(t("browserVerify.chain"), t("browserVerify.chainValue", { chainId: endpoints.chainId, block: endpoints.pinnedBlock.number }), null, "trusted-chain")
      : null,
  );
}
