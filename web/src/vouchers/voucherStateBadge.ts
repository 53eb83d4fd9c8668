import type { VoucherState } from "../../../server/views/voucherView.js";

import { h } from "../dom.js";
import { t } from "../i18n/i18n.js";

function stateLabel(state: VoucherState | "unknown"): string {
  switch (state) {
    case "open":
      return t("vouchers.state.open");
    case "redeemed":
      return t("vouchers.state.redeemed");
    case "cancelled":
      return t("vouchers.state.cancelled");
    case "void":
      return t("vouchers.state.void");
    case "expired":
      return t("vouchers.state.expired");
    default:
      return t("vouchers.state.unknown");
  }
}

/** A voucher's state as a badge (`data-state` carries the API's word), on the redeem page and in the console. */
export function stateBadge(state: VoucherState | "unknown"): HTMLElement {
  const tone = state === "open" ? "badge-open" : state === "redeemed" ? "badge-pass" : state === "unknown" ? "badge-warn" : "badge-fail";
  return h("span", { class: `badge ${tone}`, "data-testid": "voucher-state", "data-state": state }, stateLabel(state));
}
