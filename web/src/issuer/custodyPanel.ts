import type { CustodyTransfer, IssuerAccount } from "../apiTypes.js";
import type { Eip1193Provider } from "./injectedProvider.js";
import type { TakeCustodyStep } from "./takeCustody.js";

import { ApiError, api } from "../api.js";
import { copyable } from "../components/status.js";
import { h, replace } from "../dom.js";
import { t } from "../i18n/i18n.js";
import { WALLET_ERROR, WalletError, findInjectedProvider, walletRequest } from "./injectedProvider.js";
import { WrongChainError } from "../wallet/ensureWalletChain.js";
import { takeCustody } from "./takeCustody.js";

/**
 * What went wrong, in the reader's language. Cases:
 * 1. the wallet refused or failed (EIP-1193 codes: 4001 declined, 4100 account not allowed, -32002 busy);
 * 2. the wallet is on another chain and did not switch;
 * 3. the platform refused (its error codes), or could not be reached.
 */
function custodyErrorText(error: unknown): string {
  if (error instanceof WalletError) {
    if (error.code === WALLET_ERROR.userRejected) return t("custody.errorRejected");
    if (error.code === WALLET_ERROR.unauthorized) return t("custody.errorUnauthorized");
    if (error.code === WALLET_ERROR.requestPending) return t("custody.errorPending");
    return t("custody.errorWallet", { message: error.message });
  }
  if (error instanceof WrongChainError) {
    return t("custody.errorWrongChain", { walletChainId: error.walletChainId, expectedChainId: error.expectedChainId });
  }
  if (error instanceof ApiError) {
    if (error.code === "ISSUER_SIGNATURE_INVALID") return t("custody.errorSignatureInvalid");
    if (error.code === "CUSTODY_ALREADY_SELF") return t("custody.errorAlreadySelf");
    if (error.code === "NETWORK_ERROR") return t("error.network");
    return t("custody.errorApi", { code: error.code, message: error.message });
  }
  return error instanceof Error ? error.message : String(error);
}

function stepText(step: TakeCustodyStep, chainId: number | undefined): string {
  switch (step) {
    case "preparing":
      return t("custody.stepPreparing");
    case "switchingChain":
      return t("custody.stepSwitchingChain", { chainId: chainId ?? "" });
    case "signing":
      return t("custody.stepSigning");
    case "submitting":
      return t("custody.stepSubmitting");
  }
}

function progress(text: string): HTMLElement {
  return h("p", { class: "custody-progress", role: "status" }, h("span", { class: "spinner", "aria-hidden": "true" }), text);
}

function failure(error: unknown): HTMLElement {
  return h("p", { class: "form-error", role: "alert", "data-testid": "custody-error" }, custodyErrorText(error));
}

/** The issuer's on-chain identity: address, who holds its key, the operating key and what that key may do. */
function identityFacts(account: IssuerAccount): HTMLElement {
  const self = account.custody === "self";
  return h(
    "dl",
    { class: "facts facts-wide custody-facts" },
    h("div", null, h("dt", null, t("custody.issuer")), h("dd", null, account.name ?? "")),
    h("div", null, h("dt", null, t("custody.address")), h("dd", { "data-testid": "issuer-address" }, copyable(account.address ?? ""))),
    h(
      "div",
      null,
      h("dt", null, t("custody.custody")),
      h(
        "dd",
        null,
        h("span", { class: `badge ${self ? "badge-pass" : "badge-neutral"}`, "data-testid": "custody-state", "data-custody": account.custody ?? "" }, self ? t("custody.self") : t("custody.custodial")),
        h("p", { class: "hint custody-hint" }, self ? t("custody.selfHint") : t("custody.custodialHint")),
      ),
    ),
    h(
      "div",
      null,
      h("dt", null, t("custody.operatingKey")),
      h(
        "dd",
        { "data-testid": "operating-key" },
        account.operatingAddress ? [copyable(account.operatingAddress), h("p", { class: "hint custody-hint" }, t("custody.operatingHint"))] : t("custody.noOperatingKey"),
      ),
    ),
  );
}

/**
 * The take-custody flow for a custodial issuer: connect the injected wallet, choose whether Vermilion keeps
 * minting with the operating key, sign the statement, and see the result. Without a wallet, says so.
 */
function takeCustodySection(account: IssuerAccount, apiKey: string, onTaken: (transfer: CustodyTransfer) => void): HTMLElement {
  const body = h("div", { class: "custody-flow" });
  const section = h(
    "section",
    { class: "custody-take", "aria-labelledby": "custody-take-title" },
    h("h3", { id: "custody-take-title" }, t("custody.takeTitle")),
    h("p", null, t("custody.takeLede")),
    body,
  );

  const showConnect = (error: unknown = null): void => {
    const provider = findInjectedProvider();
    if (!provider) {
      replace(body, h("p", { class: "notice custody-no-wallet", "data-testid": "custody-no-wallet" }, t("custody.noWallet")));
      return;
    }
    const status = h("div", { "aria-live": "polite" }, error ? failure(error) : null);
    const connect = h(
      "button",
      {
        type: "button",
        class: "button",
        onclick: async () => {
          connect.disabled = true;
          replace(status, progress(t("custody.connecting")));
          try {
            const accounts = await walletRequest<string[]>(provider, "eth_requestAccounts");
            if (!accounts[0]) throw new WalletError(WALLET_ERROR.unauthorized, "no account");
            showConnected(provider, accounts[0]);
          } catch (caught) {
            connect.disabled = false;
            replace(status, failure(caught));
          }
        },
      },
      t("custody.connect"),
    );
    replace(body, h("div", { class: "custody-actions" }, connect), status);
  };

  const showConnected = (provider: Eip1193Provider, wallet: string): void => {
    const keep = h("input", { id: "custody-keep-operating-key", type: "checkbox", checked: true, "aria-describedby": "custody-keep-hint" });
    const status = h("div", { "aria-live": "polite" });
    const sign = h(
      "button",
      {
        type: "button",
        class: "button button-primary",
        onclick: async () => {
          sign.disabled = true;
          keep.disabled = true;
          try {
            const transfer = await takeCustody({
              provider,
              apiKey,
              account: wallet,
              keepOperatingKey: keep.checked,
              onStep: (step, details) => replace(status, progress(stepText(step, details?.chainId))),
            });
            onTaken(transfer);
          } catch (caught) {
            sign.disabled = false;
            keep.disabled = false;
            replace(status, failure(caught));
          }
        },
      },
      t("custody.sign"),
    );
    replace(
      body,
      h("dl", { class: "facts facts-wide custody-facts" }, h("div", null, h("dt", null, t("custody.connected")), h("dd", { "data-testid": "custody-wallet" }, copyable(wallet)))),
      account.operatingAddress
        ? h(
            "div",
            { class: "custody-keep" },
            h("label", { class: "checkbox" }, keep, h("span", null, t("custody.keepOperatingKey", { address: account.operatingAddress }))),
            h("p", { id: "custody-keep-hint", class: "hint" }, t("custody.keepOperatingKeyHint")),
          )
        : null,
      h("p", { class: "custody-warning" }, t("custody.takeWarning")),
      h("div", { class: "custody-actions" }, sign),
      status,
    );
  };

  // The wallet's user may switch or disconnect the account while the page is open.
  findInjectedProvider()?.on?.("accountsChanged", function onAccounts(accounts: unknown) {
    if (!section.isConnected) {
      findInjectedProvider()?.removeListener?.("accountsChanged", onAccounts);
      return;
    }
    if (!body.querySelector("[data-testid=custody-wallet]")) return;
    const next = Array.isArray(accounts) && typeof accounts[0] === "string" ? accounts[0] : null;
    const provider = findInjectedProvider();
    if (next && provider) showConnected(provider, next);
    else showConnect();
  });

  showConnect();
  return section;
}

/** The console's custody panel: the issuer's address and custody, its operating key, and the take-custody flow. */
export function custodyPanel(initial: IssuerAccount, apiKey: string): HTMLElement {
  const panel = h("section", { class: "panel custody-panel", "aria-labelledby": "custody-title", "data-testid": "custody-panel" });
  const render = (account: IssuerAccount, notice: HTMLElement | null): void => {
    replace(
      panel,
      h("h2", { id: "custody-title" }, t("custody.title")),
      h("p", { class: "muted" }, t("custody.lede")),
      notice,
      identityFacts(account),
      account.custody === "custodial"
        ? takeCustodySection(account, apiKey, (transfer) => {
            const done = h(
              "div",
              { class: "notice notice-success custody-done", role: "status", "data-testid": "custody-done" },
              h("p", null, t("custody.done", { address: transfer.address })),
              h(
                "p",
                { class: "small" },
                t("custody.doneCollections", { count: transfer.collections.length }),
                " ",
                transfer.collections.map((collection, index) => [index > 0 ? ", " : "", h("a", { href: `/collections/${collection.address}`, class: "mono" }, collection.address)]),
              ),
            );
            // The platform's own answer, read again, is what the panel shows from now on.
            void api<IssuerAccount>("/api/issuers/me", { apiKey })
              .catch(() => ({ ...account, address: transfer.address, custody: transfer.custody, operatingAddress: transfer.operatingAddress }))
              .then((next) => render(next, done));
          })
        : null,
    );
  };
  render(initial, null);
  return panel;
}
