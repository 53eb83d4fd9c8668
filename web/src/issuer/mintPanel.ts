import { ApiError, IdempotentAction, apiWrite } from "../api.js";
import { h, replace } from "../dom.js";
import { formatNumber } from "../format.js";
import { t } from "../i18n/i18n.js";
import { parseRecipients } from "./parseRecipients.js";

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

/** Mint to one address, airdrop from a list: for one edition (vouchers: voucherPanel.ts). */
export function mintPanel(collection: string, editionId: string, apiKey: string, onJob: () => void): HTMLElement {
  // One key per form: a submission whose answer was lost is sent again with it, and mints once.
  const mintAction = new IdempotentAction();
  const airdropAction = new IdempotentAction();
  const submitJob = async (body: unknown, action: IdempotentAction, message: HTMLElement) => {
    try {
      await apiWrite<{ jobId: string }>(`/api/collections/${collection}/editions/${editionId}/mint`, action, { apiKey, body });
      replace(message, h("span", { class: "notice notice-success" }, t("mint.accepted")));
      onJob();
    } catch (error) {
      replace(message, h("span", { class: "form-error", role: "alert" }, errorText(error)));
    }
  };

  // 1. Mint to one address.
  const mintTo = h("input", { id: `mint-to-${editionId}`, class: "mono", placeholder: "0x…", required: true, autocomplete: "off" });
  const mintQuantity = h("input", { id: `mint-quantity-${editionId}`, type: "number", min: "1", max: "999999", value: "1", inputmode: "numeric" });
  const mintMessage = h("div", { "aria-live": "polite" });
  const mintForm = h(
    "form",
    {
      class: "mint-form",
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (!ADDRESS.test(mintTo.value.trim())) {
          replace(mintMessage, h("span", { class: "form-error", role: "alert" }, t("mint.invalidAddress")));
          return;
        }
        void submitJob({ to: mintTo.value.trim(), quantity: Number(mintQuantity.value) }, mintAction, mintMessage);
      },
    },
    h("h4", null, t("mint.toOne")),
    h("div", { class: "field" }, h("label", { for: mintTo.id }, t("mint.recipient")), mintTo),
    h("div", { class: "field" }, h("label", { for: mintQuantity.id }, t("mint.quantity")), mintQuantity),
    h("button", { type: "submit", class: "button button-primary" }, t("mint.mint")),
    mintMessage,
  );

  // 2. Airdrop from a pasted list or a CSV file, validated row by row before anything is sent.
  const list = h("textarea", { id: `airdrop-list-${editionId}`, rows: "6", class: "mono", placeholder: "0x…\n0x…", spellcheck: "false" });
  const file = h("input", { id: `airdrop-file-${editionId}`, type: "file", accept: ".csv,.txt,text/csv,text/plain" });
  const report = h("div", { class: "airdrop-report", "aria-live": "polite" });
  const airdropButton = h("button", { type: "submit", class: "button button-primary", disabled: true }, t("mint.airdrop"));
  const validate = () => {
    const parsed = parseRecipients(list.value);
    airdropButton.disabled = parsed.recipients.length === 0 || parsed.problems.length > 0;
    replace(
      report,
      h("p", { class: "small" }, t("mint.validRows", { count: formatNumber(parsed.recipients.length) })),
      parsed.problems.length > 0
        ? h(
            "ul",
            { class: "row-errors", role: "alert" },
            parsed.problems.map((problem) =>
              h(
                "li",
                { "data-row": problem.row },
                problem.reason === "zeroAddress"
                  ? t("mint.rowZero", { row: problem.row, value: problem.value.slice(0, 60) })
                  : t("mint.rowInvalid", { row: problem.row, value: problem.value.slice(0, 60) }),
              ),
            ),
          )
        : null,
    );
    return parsed;
  };
  list.addEventListener("input", validate);
  file.addEventListener("change", async () => {
    const chosen = file.files?.[0];
    if (!chosen) return;
    list.value = await chosen.text();
    validate();
  });
  const airdropMessage = h("div", { "aria-live": "polite" });
  const airdropForm = h(
    "form",
    {
      class: "mint-form",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const parsed = validate();
        if (parsed.problems.length > 0 || parsed.recipients.length === 0) return;
        void submitJob({ recipients: parsed.recipients }, airdropAction, airdropMessage);
      },
    },
    h("h4", null, t("mint.airdropTitle")),
    h("div", { class: "field" }, h("label", { for: list.id }, t("mint.airdropList")), list),
    h("div", { class: "field" }, h("label", { for: file.id }, t("mint.airdropFile")), file),
    report,
    airdropButton,
    airdropMessage,
  );

  return h("div", { class: "mint-panel" }, mintForm, airdropForm);
}
