import type { IssuedVoucherView, VoucherListItemView, VoucherListView, VoucherState } from "../../../server/views/voucherView.js";

import "../vouchers/vouchers.css";

import { decodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { ApiError, IdempotentAction, api, apiWrite } from "../api.js";
import { qrCode } from "../components/qrCode.js";
import { copyable } from "../components/status.js";
import { h, replace } from "../dom.js";
import { formatDateTime, formatNumber, shortAddress } from "../format.js";
import { t } from "../i18n/i18n.js";
import { stateBadge } from "../vouchers/voucherStateBadge.js";
import { confirmDialog } from "./confirmDialog.js";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const PAGE_SIZE = 20;

function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** A link's absolute URL on this platform (the API answers it relative to its origin). */
function absoluteLink(link: string): string {
  return new URL(link, location.origin).toString();
}

/** The link as text to copy, a QR code to show or print, and the page itself. */
function linkBlock(link: string): HTMLElement {
  const url = absoluteLink(link);
  return h(
    "div",
    { class: "voucher-link", "data-testid": "voucher-link" },
    h("p", { class: "small" }, t("vouchers.console.linkLabel")),
    copyable(url, url.length > 72 ? `${url.slice(0, 60)}…` : url),
    qrCode(url, t("vouchers.console.qrLabel")),
    h("a", { href: link, target: "_blank", rel: "noopener" }, t("vouchers.console.openLink")),
  );
}

/**
 * The console's vouchers of one edition: sign one (its link and QR code shown at once), and the list of
 * those signed (open, redeemed, cancelled, void, expired; newest first, a page at a time), each open one
 * with its link and a cancel button. Every write carries an Idempotency-Key, one per action, kept for a
 * retry after a network failure so a retried signature is the same voucher.
 */
export function voucherPanel(collection: string, editionId: string, apiKey: string, maxSupply: number): HTMLElement {
  const list = h("ul", { class: "voucher-list", "data-testid": "voucher-list" });
  const listMessage = h("div", { "aria-live": "polite" });
  const more = h("button", { type: "button", class: "button button-small", hidden: true }, t("vouchers.console.loadMore"));
  const filter = h(
    "select",
    { id: `voucher-filter-${editionId}` },
    h("option", { value: "" }, t("vouchers.console.filterAll")),
    h("option", { value: "open" }, t("vouchers.state.open")),
    h("option", { value: "redeemed" }, t("vouchers.state.redeemed")),
    h("option", { value: "cancelled" }, t("vouchers.state.cancelled")),
    h("option", { value: "void" }, t("vouchers.state.void")),
    h("option", { value: "expired" }, t("vouchers.state.expired")),
  );
  let cursor: string | null = null;

  const row = (voucher: VoucherListItemView): HTMLElement => {
    const message = h("div", { "aria-live": "polite" });
    const linkSlot = h("div");
    const tokens = voucher.tokenIds.map((tokenId) => `#${decodeTokenId(BigInt(tokenId)).serial}`).join(", ");
    const actions = h("div", { class: "edition-row-actions" });
    if (voucher.state === "open" && voucher.link) {
      const link = voucher.link;
      actions.append(
        h("button", { type: "button", class: "button button-small", onclick: () => replace(linkSlot, linkSlot.childElementCount > 0 ? null : linkBlock(link)) }, t("vouchers.console.showLink")),
      );
    }
    if (voucher.state === "open") {
      const cancelAction = new IdempotentAction();
      actions.append(
        h(
          "button",
          {
            type: "button",
            class: "button button-small button-danger",
            onclick: async () => {
              const confirmed = await confirmDialog(
                t("vouchers.console.cancelTitle"),
                t("vouchers.console.cancelBody", { quantity: formatNumber(Number(voucher.quantity)), recipient: voucher.recipient }),
                t("vouchers.console.cancel"),
              );
              if (!confirmed) return;
              try {
                // A lost answer keeps the key (apiWrite): the retry is the same cancellation.
                await apiWrite(`/api/collections/${collection}/vouchers/${voucher.nonce}/cancel`, cancelAction, { apiKey });
                await reload(h("p", { class: "notice notice-success", role: "status" }, t("vouchers.console.cancelled")));
              } catch (error) {
                replace(message, h("span", { class: "form-error", role: "alert" }, errorText(error)));
              }
            },
          },
          t("vouchers.console.cancel"),
        ),
      );
    }
    return h(
      "li",
      { class: "voucher-row", "data-nonce": voucher.nonce, "data-state": voucher.state },
      h(
        "div",
        { class: "voucher-row-head" },
        stateBadge(voucher.state),
        h(
          "span",
          { title: voucher.recipient },
          t("vouchers.console.row", {
            quantity: formatNumber(Number(voucher.quantity)),
            recipient: shortAddress(voucher.recipient),
            deadline: formatDateTime(Number(voucher.deadline)),
          }),
        ),
        tokens ? h("span", { class: "muted small" }, t("vouchers.console.tokens", { tokens })) : null,
      ),
      voucher.state === "open" && !voucher.link ? h("p", { class: "muted small" }, t("vouchers.console.noLink")) : null,
      actions.childElementCount > 0 ? actions : null,
      linkSlot,
      message,
    );
  };

  /** Draws the list (or its next page); false, with the error shown, when it could not be read. */
  const load = async (append: boolean): Promise<boolean> => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (filter.value) query.set("state", filter.value as VoucherState);
    if (append && cursor) query.set("cursor", cursor);
    try {
      const page = await api<VoucherListView>(`/api/collections/${collection}/editions/${editionId}/vouchers?${query}`, { apiKey });
      if (!append) list.replaceChildren();
      list.append(...page.vouchers.map(row));
      if (list.childElementCount === 0) list.append(h("li", { class: "muted" }, t("vouchers.console.empty")));
      cursor = page.nextCursor;
      more.hidden = cursor === null;
      return true;
    } catch (error) {
      replace(listMessage, h("span", { class: "form-error", role: "alert" }, errorText(error)));
      return false;
    }
  };
  // The notice (say, "Voucher cancelled.") is shown once the list it speaks of is drawn, never beside the old one.
  const reload = async (notice: HTMLElement | null = null): Promise<void> => {
    show.remove();
    listPart.hidden = false;
    replace(listMessage, null);
    if ((await load(false)) && notice) replace(listMessage, notice);
  };
  filter.addEventListener("change", () => void reload());
  more.addEventListener("click", () => void load(true));

  // Sign a voucher.
  const to = h("input", { id: `voucher-to-${editionId}`, class: "mono", placeholder: "0x…", required: true, autocomplete: "off" });
  const quantity = h("input", { id: `voucher-quantity-${editionId}`, type: "number", min: "1", max: String(Math.min(1000, Math.max(1, maxSupply))), value: "1", inputmode: "numeric" });
  const days = h("input", { id: `voucher-days-${editionId}`, type: "number", min: "1", max: "365", value: "7", inputmode: "numeric" });
  const out = h("div", { "aria-live": "polite", "data-testid": "voucher-signed" });
  const signAction = new IdempotentAction();
  const form = h(
    "form",
    {
      class: "mint-form",
      "aria-label": t("mint.voucherTitle"),
      onsubmit: async (event: Event) => {
        event.preventDefault();
        if (!ADDRESS.test(to.value.trim())) {
          replace(out, h("span", { class: "form-error", role: "alert" }, t("mint.invalidAddress")));
          return;
        }
        const body = { to: to.value.trim(), quantity: Number(quantity.value), validForSeconds: Math.round(Number(days.value) * 86_400) };
        // A new voucher for new input; the same key only for a retry of the same one (apiWrite).
        try {
          const issued = await apiWrite<IssuedVoucherView>(`/api/collections/${collection}/editions/${editionId}/vouchers`, signAction, { apiKey, body });
          replace(out, h("p", { class: "notice notice-success" }, t("mint.voucherSigned")), linkBlock(issued.link));
          await reload();
        } catch (error) {
          replace(out, h("span", { class: "form-error", role: "alert" }, errorText(error)));
        }
      },
    },
    h("div", { class: "field" }, h("label", { for: to.id }, t("mint.recipient")), to),
    h("div", { class: "field" }, h("label", { for: quantity.id }, t("mint.quantity")), quantity),
    h("div", { class: "field" }, h("label", { for: days.id }, t("mint.voucherDays")), days),
    h("button", { type: "submit", class: "button" }, t("mint.signVoucher")),
    out,
  );

  // The list is read when asked for (or after a signature): a console with many editions asks for none up front.
  const show = h(
    "button",
    {
      type: "button",
      class: "button button-small",
      onclick: () => {
        show.remove();
        listPart.hidden = false;
        void load(false);
      },
    },
    t("vouchers.console.showList"),
  );
  const listPart = h(
    "div",
    { hidden: true },
    h("div", { class: "field field-inline" }, h("label", { for: filter.id }, t("vouchers.console.filter")), filter),
    listMessage,
    list,
    more,
  );
  const panel = h(
    "section",
    { class: "voucher-panel", "data-testid": "voucher-panel", "aria-labelledby": `voucher-panel-title-${editionId}` },
    h("h4", { id: `voucher-panel-title-${editionId}` }, t("vouchers.console.title")),
    form,
    h("h4", null, t("vouchers.console.list")),
    show,
    listPart,
  );
  return panel;
}
