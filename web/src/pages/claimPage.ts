import type { ClaimView } from "../claims/claimApi.js";
import type { Eip1193Provider } from "../issuer/injectedProvider.js";
import type { PageContext } from "../router.js";

import "../claims/claims.css";

import { ApiError, ipfsUrl } from "../api.js";
import { getClaim, holdClaim, rememberClaim, rememberedClaim, submitClaim } from "../claims/claimApi.js";
import { mediaFrame, mediaKindOf } from "../components/media.js";
import { errorView } from "../components/status.js";
import { h, replace } from "../dom.js";
import { formatSerial, shortAddress } from "../format.js";
import { t } from "../i18n/i18n.js";
import { WALLET_ERROR, WalletError, findInjectedProvider, walletRequest } from "../issuer/injectedProvider.js";

/** The hold lasts ten minutes on the server; the open page renews it well before. */
const RENEW_HOLD_MS = 4 * 60_000;
const POLL_MS = 1_500;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** An API refusal in the reader's words (the keys are literal so the catalogue test sees them). */
function claimErrorText(error: unknown): string {
  const code = error instanceof ApiError ? error.code : "";
  switch (code) {
    case "CLAIM_CODE_NOT_FOUND":
      return t("claims.error.notFound");
    case "CLAIM_CODE_HELD":
      return t("claims.error.held");
    case "CLAIM_CODE_USED":
      return t("claims.error.used");
    case "CLAIM_CODE_EXPIRED":
      return t("claims.error.expired");
    case "CLAIM_CODE_CANCELLED":
      return t("claims.error.cancelled");
    case "VALIDATION_FAILED":
      return t("claims.error.invalid");
    case "RATE_LIMITED":
      return t("claims.error.busy");
    case "NETWORK_ERROR":
      return t("claims.error.network");
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

function walletErrorText(error: unknown): string {
  if (error instanceof WalletError && error.code === WALLET_ERROR.userRejected) return t("claims.wallet.rejected");
  if (error instanceof WalletError && error.code === WALLET_ERROR.requestPending) return t("claims.wallet.pending");
  return t("claims.wallet.failed", { reason: error instanceof Error ? error.message : String(error) });
}

function editionCard(claim: ClaimView): HTMLElement {
  const edition = claim.edition;
  const name = edition.name ?? t("claims.editionFallback", { editionId: claim.editionId });
  const still = edition.thumbnailCid ?? (mediaKindOf(edition.mediaType) === "image" ? edition.mediaCid : null);
  return h(
    "div",
    { class: "claim-edition", "data-testid": "claim-edition" },
    still ? mediaFrame({ kind: "image", src: ipfsUrl(still), alt: name }) : h("div", { class: "thumb thumb-empty", "aria-hidden": "true" }),
    h(
      "div",
      null,
      h("p", { class: "claim-edition-name" }, name),
      edition.maxSupply !== null ? h("p", { class: "muted small" }, t("claims.editionOf", { maxSupply: edition.maxSupply })) : null,
    ),
  );
}

/** The steps after a claim: bound, minting, minted (each done or not yet), and what the mint waits on. */
function progressView(claim: ClaimView, mine: boolean): HTMLElement {
  const minted = claim.state === "minted";
  const sending = minted || claim.state === "minting";
  const serialText = claim.serial !== null ? (claim.edition.maxSupply !== null ? formatSerial(claim.serial, claim.edition.maxSupply) : `#${claim.serial}`) : "";
  return h(
    "div",
    { class: "claim-status", "data-testid": "claim-progress", "data-state": claim.state },
    h(
      "ol",
      { class: "claim-progress" },
      h("li", { "data-done": "true" }, t("claims.step.claimed", { address: shortAddress(claim.recipient ?? "") })),
      h("li", { "data-done": String(sending) }, t("claims.step.minting")),
      h("li", { "data-done": String(minted) }, t("claims.step.minted")),
    ),
    claim.waiting ? h("p", { class: "claim-message", "data-testid": "claim-waiting" }, t("claims.waiting")) : null,
    claim.state === "failed" ? h("p", { class: "claim-message claim-message-error", role: "alert" }, t("claims.failed")) : null,
    minted
      ? h(
          "div",
          null,
          h("p", { class: "claim-yours", "data-testid": "claim-yours" }, mine ? t("claims.yours", { serial: serialText }) : t("claims.theirs", { serial: serialText })),
          h("p", null, h("a", { href: `/tokens/${claim.collection}/${claim.tokenId}`, "data-testid": "claim-token-link" }, t("claims.viewToken"))),
        )
      : h("p", { class: "muted small", "aria-live": "polite" }, t("claims.mintingHint")),
  );
}

export default async function claimPage(context: PageContext): Promise<HTMLElement> {
  const code = (context.params.code ?? "").toUpperCase();
  document.title = `${t("claims.title")} · Vermilion`;
  const root = h("section", { class: "page page-claim", "aria-labelledby": "claim-title" });
  const body = h("div", { "aria-live": "polite" });
  let renewTimer: ReturnType<typeof setInterval> | undefined;
  let pollTimer: ReturnType<typeof setTimeout> | undefined;
  const stopTimers = () => {
    clearInterval(renewTimer);
    clearTimeout(pollTimer);
  };

  // 1. the hold: opening the page takes the code for this browser before anything else.
  let held: Awaited<ReturnType<typeof holdClaim>> | undefined;
  let claim: ClaimView;
  try {
    held = await holdClaim(code, rememberedClaim(code).holdToken);
    rememberClaim(code, { holdToken: held.holdToken });
    claim = held.claim;
  } catch (error) {
    // Bound or held elsewhere: the code's state is still worth showing; anything else ends here.
    if (!(error instanceof ApiError) || (error.code !== "CLAIM_CODE_USED" && error.code !== "CLAIM_CODE_HELD")) {
      return errorView(t("claims.title"), claimErrorText(error));
    }
    claim = await getClaim(code);
  }

  /** Follows the mint until the token is minted (or the mint failed), repainting the steps. */
  const follow = (current: ClaimView) => {
    const mine = rememberedClaim(code).to?.toLowerCase() === current.recipient;
    replace(body, progressView(current, mine));
    if (current.state === "minted" || current.state === "failed" || !context.isCurrent()) return;
    pollTimer = setTimeout(async () => {
      if (!context.isCurrent()) return stopTimers();
      follow(await getClaim(code).catch(() => current));
    }, POLL_MS);
  };

  /** Another device holds the code: say so, and look again until it is claimed or the hold lapses. */
  const waitForOtherDevice = (current: ClaimView) => {
    replace(body, h("p", { class: "claim-message", "data-testid": "claim-held-elsewhere", role: "status" }, t("claims.heldElsewhere", { time: new Date(current.heldUntil ?? Date.now()).toLocaleTimeString() })));
    pollTimer = setTimeout(async () => {
      if (!context.isCurrent()) return;
      const next = await getClaim(code).catch(() => current);
      if (next.state === "open") void start();
      else if (next.state === "held") waitForOtherDevice(next);
      else follow(next);
    }, 5_000);
  };

  const form = (): HTMLElement => {
    const input = h("input", {
      id: "claim-address",
      name: "address",
      type: "text",
      inputmode: "text",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "0x…",
      "data-testid": "claim-address",
      "aria-describedby": "claim-address-hint",
    });
    const message = h("p", { class: "form-error", "data-testid": "claim-error", role: "alert", "aria-live": "assertive" });
    const submit = h("button", { type: "submit", class: "button button-primary", "data-testid": "claim-submit" }, t("claims.submit"));
    const provider: Eip1193Provider | null = findInjectedProvider();

    const claimFor = async (to: string) => {
      message.textContent = "";
      if (!ADDRESS.test(to)) {
        message.textContent = t("claims.error.address");
        input.focus();
        return;
      }
      submit.setAttribute("disabled", "");
      try {
        const claimed = await submitClaim(code, to, rememberedClaim(code).holdToken);
        rememberClaim(code, { to });
        clearInterval(renewTimer);
        follow(claimed);
      } catch (error) {
        message.textContent = claimErrorText(error);
        submit.removeAttribute("disabled");
        if (error instanceof ApiError && error.code === "CLAIM_CODE_USED") follow(await getClaim(code));
      }
    };

    const walletButton = provider
      ? h(
          "button",
          {
            type: "button",
            class: "button",
            "data-testid": "claim-wallet",
            onclick: async () => {
              message.textContent = "";
              try {
                const accounts = await walletRequest<string[]>(provider, "eth_requestAccounts");
                const account = accounts[0];
                if (!account) throw new WalletError(null, t("claims.wallet.noAccount"));
                input.value = account;
                await claimFor(account);
              } catch (error) {
                message.textContent = walletErrorText(error);
              }
            },
          },
          t("claims.useWallet"),
        )
      : null;

    return h(
      "form",
      {
        class: "claim-form",
        novalidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault();
          void claimFor(input.value.trim());
        },
      },
      h("label", { for: "claim-address", class: "label" }, t("claims.addressLabel")),
      input,
      h("p", { id: "claim-address-hint", class: "hint small" }, t("claims.addressHint")),
      h("div", { class: "claim-actions" }, submit, walletButton ? [h("span", { class: "claim-or" }, t("claims.or")), walletButton] : null),
      message,
      h("p", { class: "muted small", "data-testid": "claim-hold" }, t("claims.holdNotice")),
    );
  };

  /** (Re)takes the hold, then shows the form; a renewal keeps it while the page stays open. */
  const start = async (): Promise<void> => {
    try {
      held = await holdClaim(code, rememberedClaim(code).holdToken);
      rememberClaim(code, { holdToken: held.holdToken });
      showForm();
    } catch (error) {
      if (error instanceof ApiError && (error.code === "CLAIM_CODE_USED" || error.code === "CLAIM_CODE_HELD")) {
        const current = await getClaim(code);
        return current.state === "held" ? waitForOtherDevice(current) : follow(current);
      }
      replace(body, h("p", { class: "claim-message claim-message-error", role: "alert" }, claimErrorText(error)));
    }
  };

  const showForm = () => {
    replace(body, form());
    clearInterval(renewTimer);
    renewTimer = setInterval(() => {
      if (!context.isCurrent()) return stopTimers();
      void holdClaim(code, rememberedClaim(code).holdToken).catch(() => undefined);
    }, RENEW_HOLD_MS);
  };

  if (held) showForm();
  else if (claim.state === "held") waitForOtherDevice(claim);
  else follow(claim);

  replace(
    root,
    h("p", { class: "eyebrow" }, t("claims.eyebrow")),
    h("h1", { id: "claim-title" }, t("claims.title")),
    editionCard(claim),
    body,
  );
  return root;
}
