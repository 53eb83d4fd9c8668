import type { ClaimBatchView, ClaimCodeListItem } from "../../../server/views/claimView.js";

import "../claims/claims.css";

import { ApiError, IdempotentAction, api, apiWrite } from "../api.js";
import { qrCode } from "../components/qrCode.js";
import { h, replace } from "../dom.js";
import { formatNumber } from "../format.js";
import { t } from "../i18n/i18n.js";
import { confirmDialog } from "./confirmDialog.js";

/** Counts refresh this often while the panel is on the page. */
const POLL_MS = 5_000;

function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** `ABCDE-FGHJK-MNPQR-STVWX`: a code as printed (the page accepts it with or without dashes). */
function grouped(code: string): string {
  return code.match(/.{1,5}/g)?.join("-") ?? code;
}

/** The printable sheet: one card per code (QR code, code text, number), printed by the browser's print CSS. */
function printSheet(editionName: string, batch: ClaimBatchView, codes: ClaimCodeListItem[]): HTMLElement {
  const close = () => {
    sheet.remove();
    document.body.classList.remove("claim-sheet-open");
  };
  const sheet = h(
    "div",
    { class: "claim-sheet", "data-testid": "claim-sheet", role: "dialog", "aria-label": t("claims.console.sheetTitle") },
    h(
      "div",
      { class: "claim-sheet-bar" },
      h("strong", null, t("claims.console.sheetTitle")),
      h("button", { type: "button", class: "button button-primary", onclick: () => window.print() }, t("claims.console.print")),
      h("button", { type: "button", class: "button", onclick: close }, t("claims.console.closeSheet")),
    ),
    h(
      "div",
      { class: "claim-sheet-cards" },
      codes
        .filter((item) => item.state === "open")
        .map((item) =>
          h(
            "div",
            { class: "claim-card", "data-number": item.number },
            h("p", { class: "claim-card-title" }, editionName),
            qrCode(item.url, t("claims.console.qrLabel", { number: item.number })),
            h("p", { class: "claim-card-code mono" }, grouped(item.code)),
            h("p", { class: "claim-card-meta small" }, t("claims.console.cardMeta", { number: item.number, label: batch.label ?? "", expires: new Date(batch.expiresAt).toLocaleDateString() })),
          ),
        ),
    ),
  );
  document.body.classList.add("claim-sheet-open");
  return sheet;
}

/** Claim codes for one edition: create a batch, its live counts, the CSV, the print sheet, cancellation. */
export function claimsPanel(collection: string, editionId: string, editionName: string, apiKey: string): HTMLElement {
  const base = `/api/collections/${collection}/editions/${editionId}/claim-batches`;
  const list = h("div", { class: "claim-batches", "data-testid": "claim-batches", "aria-live": "polite" });
  const message = h("div", { "aria-live": "polite" });
  // One key per creation the issuer asks for, kept until it succeeds: a retry after a timeout is the same request.
  // One key per batch the issuer asks for, reused when its answer was lost (apiWrite).
  const createAction = new IdempotentAction();

  const count = h("input", { id: `claim-count-${editionId}`, type: "number", min: "1", max: "10000", value: "100", inputmode: "numeric", "data-testid": "claim-count" });
  const days = h("input", { id: `claim-days-${editionId}`, type: "number", min: "1", max: "366", value: "30", inputmode: "numeric" });
  const label = h("input", { id: `claim-label-${editionId}`, maxlength: "100", autocomplete: "off" });

  const downloadCsv = async (batch: ClaimBatchView) => {
    const response = await fetch(`/api/claim-batches/${batch.batchId}/codes.csv`, { headers: { authorization: `Bearer ${apiKey}` } });
    if (!response.ok) throw new ApiError(response.status, `HTTP_${response.status}`, response.statusText);
    const url = URL.createObjectURL(await response.blob());
    const link = h("a", { href: url, download: `claim-codes-${batch.batchId}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const batchRow = (batch: ClaimBatchView): HTMLElement => {
    const rowMessage = h("div", { "aria-live": "polite" });
    const guarded = (work: () => Promise<void>) => async () => {
      try {
        await work();
      } catch (error) {
        replace(rowMessage, h("span", { class: "form-error", role: "alert" }, errorText(error)));
      }
    };
    const number = h("input", { type: "number", min: "1", max: String(batch.count), class: "claim-number", "aria-label": t("claims.console.codeNumber") });
    const c = batch.counts;
    return h(
      "div",
      { class: "claim-batch", "data-batch-id": batch.batchId },
      h(
        "p",
        { class: "claim-batch-head" },
        h("strong", null, batch.label ?? t("claims.console.unlabelled")),
        " ",
        h("span", { class: "muted small" }, t("claims.console.batchMeta", { count: formatNumber(batch.count), expires: new Date(batch.expiresAt).toLocaleString() })),
        batch.cancelledAt ? h("span", { class: "badge badge-fail" }, t("claims.console.cancelled")) : null,
      ),
      h(
        "p",
        { class: "claim-counts small", "data-testid": "claim-counts" },
        t("claims.console.counts", {
          open: formatNumber(c.open + c.held),
          claimed: formatNumber(c.claimed + c.minting),
          minted: formatNumber(c.minted),
          expired: formatNumber(c.expired),
          cancelled: formatNumber(c.cancelled),
        }),
      ),
      h(
        "div",
        { class: "edition-row-actions" },
        h("button", { type: "button", class: "button button-small", onclick: guarded(() => downloadCsv(batch)) }, t("claims.console.csv")),
        h(
          "button",
          {
            type: "button",
            class: "button button-small",
            "data-testid": "claim-print",
            onclick: guarded(async () => {
              const { codes } = await api<{ codes: ClaimCodeListItem[] }>(`/api/claim-batches/${batch.batchId}/codes`, { apiKey });
              document.body.append(printSheet(editionName, batch, codes));
            }),
          },
          t("claims.console.printSheet"),
        ),
        batch.cancelledAt
          ? null
          : h(
              "button",
              {
                type: "button",
                class: "button button-small button-danger",
                onclick: guarded(async () => {
                  if (!(await confirmDialog(t("claims.console.cancelTitle"), t("claims.console.cancelBody", { open: formatNumber(c.open + c.held) }), t("claims.console.cancelBatch")))) return;
                  await apiWrite(`/api/claim-batches/${batch.batchId}/cancel`, new IdempotentAction(), { apiKey });
                  await refresh();
                }),
              },
              t("claims.console.cancelBatch"),
            ),
        batch.cancelledAt
          ? null
          : h(
              "span",
              { class: "field-inline" },
              number,
              h(
                "button",
                {
                  type: "button",
                  class: "button button-small",
                  onclick: guarded(async () => {
                    const chosen = Number(number.value);
                    if (!Number.isInteger(chosen) || chosen < 1 || chosen > batch.count) {
                      replace(rowMessage, h("span", { class: "form-error", role: "alert" }, t("claims.console.badNumber", { max: batch.count })));
                      return;
                    }
                    if (!(await confirmDialog(t("claims.console.cancelCodeTitle"), t("claims.console.cancelCodeBody", { number: chosen }), t("claims.console.cancelCode")))) return;
                    await apiWrite(`/api/claim-batches/${batch.batchId}/codes/${chosen}/cancel`, new IdempotentAction(), { apiKey });
                    replace(rowMessage, h("span", { class: "notice notice-success" }, t("claims.console.codeCancelled", { number: chosen })));
                    await refresh();
                  }),
                },
                t("claims.console.cancelCode"),
              ),
            ),
      ),
      rowMessage,
    );
  };

  /** What the rows show besides the counts: while it is unchanged, a refresh rewrites the counts only (an input being typed in stays). */
  let shown = "";
  const refresh = async (): Promise<void> => {
    try {
      const { batches } = await api<{ batches: ClaimBatchView[] }>(base, { apiKey });
      const shape = JSON.stringify(batches.map((batch) => [batch.batchId, batch.cancelledAt]));
      if (shape === shown && batches.length > 0) {
        for (const batch of batches) {
          const row = list.querySelector(`[data-batch-id="${batch.batchId}"] [data-testid="claim-counts"]`);
          if (row) row.textContent = batchRow(batch).querySelector('[data-testid="claim-counts"]')!.textContent;
        }
        return;
      }
      shown = shape;
      replace(list, batches.length > 0 ? batches.map(batchRow) : h("p", { class: "muted small" }, t("claims.console.none")));
    } catch (error) {
      replace(list, h("span", { class: "form-error", role: "alert" }, errorText(error)));
    }
  };

  const form = h(
    "form",
    {
      class: "mint-form claim-batch-form",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        const body = { count: Number(count.value), validForSeconds: Math.round(Number(days.value) * 86_400), ...(label.value.trim() ? { label: label.value.trim() } : {}) };
        try {
          await apiWrite<ClaimBatchView>(base, createAction, { apiKey, body });
          replace(message, h("span", { class: "notice notice-success" }, t("claims.console.created", { count: formatNumber(body.count) })));
          await refresh();
        } catch (error) {
          replace(message, h("span", { class: "form-error", role: "alert" }, errorText(error)));
        }
      },
    },
    h("label", { for: count.id }, t("claims.console.count")),
    count,
    h("label", { for: days.id }, t("claims.console.days")),
    days,
    h("label", { for: label.id }, t("claims.console.label")),
    label,
    h("button", { type: "submit", class: "button button-primary", "data-testid": "claim-create" }, t("claims.console.create")),
  );

  const panel = h("section", { class: "claims-panel", "data-testid": "claims-panel" }, h("h3", null, t("claims.console.title")), h("p", { class: "muted small" }, t("claims.console.hint")), form, message, list);
  void refresh();
  // Live counts while the panel is on the page; the timer ends itself once the panel is gone.
  const timer = setInterval(() => {
    if (!panel.isConnected) clearInterval(timer);
    // Only an edition the issuer has opened is polled.
    else if (panel.closest("details")?.open !== false) void refresh();
  }, POLL_MS);
  return panel;
}
