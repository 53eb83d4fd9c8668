import { h } from "../dom.js";
import { t } from "../i18n/i18n.js";

export function loadingView(): HTMLElement {
  return h("div", { class: "status status-loading", role: "status", "aria-live": "polite" }, h("span", { class: "spinner", "aria-hidden": "true" }), t("status.loading"));
}

export function errorView(title: string, detail: string): HTMLElement {
  return h("section", { class: "status status-error", role: "alert" }, h("h1", null, title), h("p", null, detail));
}

/** A small labelled value with a copy button, for addresses, hashes and CIDs. */
export function copyable(value: string, display: string = value): HTMLElement {
  const button = h(
    "button",
    {
      type: "button",
      class: "copy-button",
      "aria-label": t("action.copyValue", { value }),
      onclick: async () => {
        try {
          await navigator.clipboard.writeText(value);
          button.textContent = t("action.copied");
        } catch {
          button.textContent = t("action.copyFailed");
        }
        setTimeout(() => (button.textContent = t("action.copy")), 1500);
      },
    },
    t("action.copy"),
  );
  return h("span", { class: "copyable" }, h("code", { class: "mono", title: value }, display), button);
}
