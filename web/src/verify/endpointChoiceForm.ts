import type { VerifyEndpoints } from "./pageVerifyEndpoints.js";

import { h } from "../dom.js";
import { t } from "../i18n/i18n.js";
import { urlWithEndpoints } from "./pageVerifyEndpoints.js";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** An endpoint address the server will accept: http(s), no credentials, no query or fragment. */
function isEndpointUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (url.protocol === "http:" || url.protocol === "https:") && url.username === "" && url.password === "" && url.search === "" && url.hash === "";
}

/**
 * The reader's choice of RPC endpoint, IPFS gateway and factory, prefilled with this page's. Applying
 * it reloads the page with the choice in its query: only a new document gets a CSP naming the new
 * endpoints (server/web/webRouter.ts), so nothing is called that the policy does not name.
 */
export function endpointChoiceForm(endpoints: VerifyEndpoints, options: { open?: boolean; idPrefix: string }): HTMLElement {
  const id = (name: string) => `${options.idPrefix}-${name}`;
  const rpc = h("input", { id: id("rpc"), name: "rpc", class: "mono", type: "url", value: endpoints.rpcUrl ?? "", placeholder: "https://…", autocomplete: "off", required: true });
  const gateway = h("input", { id: id("gateway"), name: "gateway", class: "mono", type: "url", value: endpoints.gatewayUrl ?? location.origin, placeholder: "https://…", autocomplete: "off" });
  const factory = h("input", { id: id("factory"), name: "factory", class: "mono", value: endpoints.factory, placeholder: "0x…", autocomplete: "off", required: true });
  const error = h("p", { class: "form-error", role: "alert" });
  const platformButton = (input: HTMLInputElement, value: string | null) =>
    value === null ? null : h("button", { type: "button", class: "button button-small", onclick: () => (input.value = value) }, t("browserVerify.usePlatform"));
  const field = (input: HTMLInputElement, label: string, platformValue: string | null) =>
    h("div", { class: "field" }, h("label", { for: input.id }, label), input, h("div", { class: "field-hint small muted" }, platformButton(input, platformValue)));

  const form = h(
    "form",
    {
      class: "form-grid endpoint-form",
      novalidate: true,
      onsubmit: (event: Event) => {
        event.preventDefault();
        error.textContent = "";
        const choice = { rpcUrl: rpc.value.trim(), gatewayUrl: gateway.value.trim() || location.origin, factory: factory.value.trim() };
        const badUrl = [rpc, gateway].find((input) => input.value.trim() !== "" && !isEndpointUrl(input.value.trim())) ?? (choice.rpcUrl === "" ? rpc : undefined);
        if (badUrl) {
          error.textContent = t("browserVerify.invalidUrl");
          badUrl.focus();
          return;
        }
        if (!ADDRESS.test(choice.factory)) {
          error.textContent = t("browserVerify.invalidFactory");
          factory.focus();
          return;
        }
        location.assign(urlWithEndpoints(choice, endpoints.platform));
      },
    },
    field(rpc, t("browserVerify.rpc"), endpoints.platform.rpcUrl),
    field(gateway, t("browserVerify.gateway"), location.origin),
    field(factory, t("browserVerify.factory"), endpoints.platform.factory),
    h("p", { class: "small muted" }, t("browserVerify.applyHint")),
    h("div", { class: "field field-actions" }, h("button", { type: "submit", class: "button" }, t("browserVerify.apply"))),
    error,
  );
  return h("details", { class: "endpoint-choice", open: options.open ?? false }, h("summary", null, t("browserVerify.change")), form);
}
