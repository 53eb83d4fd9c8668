import type { OwnerTokensResponse } from "../apiTypes.js";
import type { PageContext } from "../router.js";

import { api } from "../api.js";
import { giftPanel } from "../collector/giftPanel.js";
import { tokenCard } from "../components/cards.js";
import { h } from "../dom.js";
import { editionsFor } from "../editionLookup.js";
import { shortAddress } from "../format.js";
import { t } from "../i18n/i18n.js";
import { navigate } from "../router.js";

interface Eip1193Provider {
  request: (arguments_: { method: string }) => Promise<unknown>;
}

function injectedWallet(): Eip1193Provider | null {
  const candidate = (window as { ethereum?: Eip1193Provider }).ethereum;
  return candidate && typeof candidate.request === "function" ? candidate : null;
}

const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Whether the injected wallet already shares `address` with this page (eth_accounts: no prompt). */
async function walletHolds(address: string): Promise<boolean> {
  const wallet = injectedWallet();
  if (!wallet) return false;
  try {
    const accounts = (await wallet.request({ method: "eth_accounts" })) as string[];
    return accounts.some((account) => account.toLowerCase() === address.toLowerCase());
  } catch {
    return false;
  }
}

function addressForm(current: string): HTMLElement {
  const error = h("p", { id: "owner-error", class: "form-error", role: "alert" });
  const input = h("input", { id: "owner-address", name: "address", value: current, placeholder: "0x…", autocomplete: "off", spellcheck: "false", "aria-describedby": "owner-error", class: "mono" });
  const wallet = injectedWallet();
  return h(
    "form",
    {
      class: "search",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const value = input.value.trim();
        if (!ADDRESS.test(value)) {
          error.textContent = t("owner.invalidAddress");
          input.setAttribute("aria-invalid", "true");
          return;
        }
        navigate(`/owners/${value}`);
      },
    },
    h("label", { for: "owner-address", class: "visually-hidden" }, t("owner.addressLabel")),
    input,
    h("button", { type: "submit", class: "button button-primary" }, t("owner.show")),
    wallet
      ? h(
          "button",
          {
            type: "button",
            class: "button",
            onclick: async () => {
              try {
                const accounts = (await wallet.request({ method: "eth_requestAccounts" })) as string[];
                if (accounts[0]) navigate(`/owners/${accounts[0]}`);
              } catch {
                error.textContent = t("owner.walletRefused");
              }
            },
          },
          t("owner.useWallet"),
        )
      : null,
    error,
  );
}

export default async function ownerPage(context: PageContext): Promise<HTMLElement> {
  const address = context.params.address ?? "";
  document.title = `${t("owner.title")} · Vermilion`;
  const header = h(
    "header",
    { class: "page-header" },
    h("p", { class: "eyebrow" }, t("owner.eyebrow")),
    h("h1", null, address ? t("owner.titleOf", { address: shortAddress(address) }) : t("owner.title")),
    h("p", { class: "lede" }, t("owner.lede")),
    addressForm(address),
  );
  if (!address) return h("div", { class: "page" }, header);
  if (!ADDRESS.test(address)) return h("div", { class: "page" }, header, h("p", { class: "form-error", role: "alert" }, t("owner.invalidAddress")));

  const tokens: OwnerTokensResponse["tokens"] = [];
  let cursor: string | null = null;
  // Holdings of a collector are small; follow cursors up to a generous bound.
  for (let page = 0; page < 10; page += 1) {
    const query: string = cursor ? `?limit=200&cursor=${encodeURIComponent(cursor)}` : "?limit=200";
    const body: OwnerTokensResponse = await api<OwnerTokensResponse>(`/api/owners/${address}/tokens${query}`);
    tokens.push(...body.tokens);
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  const editions = await editionsFor(tokens.map((token) => token.collection.address));
  const canGive = await walletHolds(address);
  return h(
    "div",
    { class: "page" },
    header,
    h(
      "section",
      { "aria-labelledby": "holdings-title" },
      h("h2", { id: "holdings-title", class: "section-title" }, t("owner.holdings", { count: tokens.length })),
      tokens.length > 0
        ? h(
            "div",
            { class: "grid" },
            tokens.map((token) => {
              const edition = editions.get(`${token.collection.address}:${token.editionId}`);
              if (!canGive) return tokenCard(token, edition);
              // The wallet connected to this page is this address: each token offers its gift form.
              const gift = giftPanel({ token });
              return h(
                "div",
                { class: "owner-token", "data-token-id": token.tokenId },
                tokenCard(token, edition),
                gift ? h("details", { class: "gift-details" }, h("summary", null, t("gifting.summary")), gift) : null,
              );
            }),
          )
        : h("p", { class: "muted" }, t("owner.none")),
    ),
  );
}
