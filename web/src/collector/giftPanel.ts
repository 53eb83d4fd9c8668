import type { TokenView } from "../apiTypes.js";
import type { Eip1193Provider } from "../issuer/injectedProvider.js";
import type { Giftability } from "./giftability.js";
import type { SendGiftStep } from "./sendGift.js";

import { isAddress, zeroAddress } from "viem";

import { h, replace } from "../dom.js";
import { formatDateTime, formatDuration, shortAddress, shortHash } from "../format.js";
import { t } from "../i18n/i18n.js";
import { findInjectedProvider, walletRequest } from "../issuer/injectedProvider.js";
import { explainTransferFailure } from "./explainTransferFailure.js";
import { giftability } from "./giftability.js";
import { sendGift } from "./sendGift.js";
import { toTransferFailure } from "./toTransferFailure.js";

export interface GiftPanelParameters {
  token: TokenView;
  /** Called once the index shows the recipient as the new owner. */
  onGiven?: (newOwner: string) => void;
}

/** Why the recipient field is refused, or null when it holds an address the token can go to. */
function recipientProblem(value: string, from: string): string | null {
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) return t("gifting.recipientInvalid");
  // Mixed case is an EIP-55 checksum: a typo in it is caught here rather than sending to a stranger.
  if (!isAddress(value, { strict: true })) return t("gifting.recipientChecksum");
  if (value.toLowerCase() === zeroAddress) return t("gifting.recipientZero");
  if (value.toLowerCase() === from.toLowerCase()) return t("gifting.recipientSelf");
  return null;
}

function stepText(step: SendGiftStep, chainId: number, txHash: string | undefined): string {
  switch (step) {
    case "switchingChain":
      return t("gifting.stepSwitching", { chainId });
    case "checking":
      return t("gifting.stepChecking");
    case "confirming":
      return t("gifting.stepConfirming");
    case "mining":
      return t("gifting.stepMining", { txHash: shortHash(txHash ?? "") });
    case "indexing":
      return t("gifting.stepIndexing");
  }
}

/** What the holder is told before trying, when the token cannot go now. */
function restriction(state: Giftability, token: TokenView): HTMLElement | null {
  if (state.kind === "held") {
    return h(
      "p",
      { class: "gift-restriction", "data-testid": "gift-held", "data-unlocks-at": String(state.unlocksAt) },
      t("gifting.heldUntil", { date: formatDateTime(state.unlocksAt), duration: formatDuration(token.holdSeconds) }),
    );
  }
  if (state.kind === "paused") return h("p", { class: "gift-restriction", "data-testid": "gift-paused" }, t("gifting.pausedNotice"));
  return null;
}

/** The form, for the wallet account `from` that holds the token. */
function giftForm(provider: Eip1193Provider, token: TokenView, from: string, state: Giftability, onGiven: GiftPanelParameters["onGiven"]): HTMLElement {
  const idPrefix = `gift-${token.collection.address.slice(2, 10)}-${token.tokenId}`;
  const blocked = state.kind === "held" || state.kind === "paused";
  const reason = restriction(state, token);
  if (reason) reason.id = `${idPrefix}-reason`;
  const input = h("input", {
    id: `${idPrefix}-recipient`,
    name: "recipient",
    class: "mono",
    placeholder: "0x…",
    autocomplete: "off",
    spellcheck: "false",
    "aria-describedby": `${idPrefix}-error`,
  });
  const button = h("button", { type: "submit", class: "button button-primary", disabled: blocked, "aria-describedby": reason ? reason.id : null }, t("gifting.submit"));
  const status = h("p", { class: "hint", "data-testid": "gift-status", "aria-live": "polite" });
  const error = h("p", { id: `${idPrefix}-error`, class: "form-error", role: "alert", "data-testid": "gift-error" });
  const form = h(
    "form",
    {
      class: "gift-form",
      novalidate: true,
      onsubmit: async (event: Event) => {
        event.preventDefault();
        error.textContent = "";
        error.removeAttribute("data-failure");
        const to = input.value.trim();
        const problem = recipientProblem(to, from);
        if (problem) {
          error.textContent = problem;
          input.setAttribute("aria-invalid", "true");
          return;
        }
        input.removeAttribute("aria-invalid");
        button.disabled = true;
        input.disabled = true;
        try {
          const result = await sendGift({
            provider,
            chainId: token.chainId,
            collection: token.collection.address,
            tokenId: token.tokenId,
            from,
            to,
            onStep: (step, details) => {
              status.textContent = stepText(step, token.chainId, details?.txHash);
            },
          });
          const done = result.indexedOwner
            ? h("p", { class: "notice notice-success", "data-testid": "gift-done", "data-new-owner": result.indexedOwner }, t("gifting.done", { owner: result.indexedOwner }))
            : h("p", { class: "notice", "data-testid": "gift-done", "data-new-owner": to.toLowerCase() }, t("gifting.doneNotIndexed", { owner: to }));
          replace(form, done, h("p", { class: "hint mono" }, t("gifting.transaction", { txHash: result.txHash })));
          if (result.indexedOwner) onGiven?.(result.indexedOwner);
        } catch (caught) {
          const failure = toTransferFailure(caught);
          status.textContent = "";
          error.textContent = explainTransferFailure(failure, { t, formatDateTime });
          error.setAttribute("data-failure", failure.kind);
          button.disabled = blocked;
          input.disabled = false;
        }
      },
    },
    reason,
    h("label", { for: input.id }, t("gifting.recipientLabel")),
    h("div", { class: "gift-row" }, input, button),
    status,
    error,
  );
  return form;
}

/**
 * What a token page (or an owner page's card) offers about giving the token: a soulbound token explains
 * why it cannot move; otherwise the injected wallet is asked which account it has (without a prompt), and
 * its holder gets the form, disabled with its reason while a hold or a pause keeps the token in place.
 * Returns null for a burned token, and for a movable one when the browser has no wallet.
 */
export function giftPanel(parameters: GiftPanelParameters): HTMLElement | null {
  const { token, onGiven } = parameters;
  const state = giftability(token, Math.floor(Date.now() / 1000));
  if (state.kind === "burned") return null;
  const panel = h("div", { class: "gift-panel", "data-testid": "gift-panel", "data-giftability": state.kind });
  if (state.kind === "soulbound") {
    replace(panel, h("p", { "data-testid": "gift-soulbound" }, t("gifting.soulbound")));
    return panel;
  }
  // Without a wallet there is nothing to offer: the facts above already give the policy and the lock.
  const provider = findInjectedProvider();
  if (!provider) return null;
  const owner = token.owner ?? "";
  const show = (accounts: readonly string[]) => {
    const account = accounts[0];
    if (account && account.toLowerCase() === owner.toLowerCase()) {
      replace(panel, giftForm(provider, token, account, state, onGiven));
    } else if (account) {
      replace(panel, restriction(state, token), h("p", { class: "hint", "data-testid": "gift-not-holder" }, t("gifting.notHolder", { account: shortAddress(account) })));
    } else {
      const problem = h("p", { class: "form-error", role: "alert" });
      const connect = h(
        "button",
        {
          type: "button",
          class: "button",
          "data-testid": "gift-connect",
          onclick: async () => {
            problem.textContent = "";
            try {
              show(await walletRequest<string[]>(provider, "eth_requestAccounts"));
            } catch {
              problem.textContent = t("gifting.connectRefused");
            }
          },
        },
        t("gifting.connect"),
      );
      replace(panel, restriction(state, token), h("p", { class: "hint" }, t("gifting.connectHint")), connect, problem);
    }
  };
  void walletRequest<string[]>(provider, "eth_accounts").then(show, () => show([]));
  // Another account chosen in the wallet: the form follows it. A panel no longer on the page lets go.
  const onAccountsChanged = (accounts: unknown) => {
    if (!panel.isConnected) provider.removeListener?.("accountsChanged", onAccountsChanged);
    else if (!panel.querySelector("[data-testid=gift-done]")) show(Array.isArray(accounts) ? (accounts as string[]) : []);
  };
  provider.on?.("accountsChanged", onAccountsChanged);
  return panel;
}
