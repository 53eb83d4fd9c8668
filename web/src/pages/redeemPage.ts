import type { Collection, Edition } from "../apiTypes.js";
import type { VoucherEditionView, VoucherState, VoucherView } from "../../../server/views/voucherView.js";
import type { VoucherLinkFields } from "../../../server/vouchers/voucherLink.js";
import type { PageContext } from "../router.js";
import type { VoucherFailure } from "../vouchers/explainVoucherFailure.js";
import type { RedeemStep } from "../vouchers/redeemWithWallet.js";

import "../vouchers/vouchers.css";

import { decodeTokenId } from "vermilion-verify/shared/tokenIds.js";
import { parseVoucherLink } from "../../../server/vouchers/voucherLink.js";
import { ApiError, api, ipfsUrl } from "../api.js";
import { mediaFrame, mediaKindOf } from "../components/media.js";
import { errorView } from "../components/status.js";
import { h, replace } from "../dom.js";
import { formatDateTime, formatNumber, formatSerial, shortAddress, shortHash } from "../format.js";
import { t } from "../i18n/i18n.js";
import { findInjectedProvider } from "../issuer/injectedProvider.js";
import { explainVoucherFailure } from "../vouchers/explainVoucherFailure.js";
import { stateBadge } from "../vouchers/voucherStateBadge.js";
import { redeemWithWallet } from "../vouchers/redeemWithWallet.js";

/** Why a voucher that is not open cannot be redeemed, in a sentence; null while it can be. */
function stateExplanation(state: VoucherState | "unknown"): string | null {
  switch (state) {
    case "redeemed":
      return t("vouchers.explain.redeemed");
    case "cancelled":
      return t("vouchers.explain.cancelled");
    case "void":
      return t("vouchers.explain.void");
    case "expired":
      return t("vouchers.explain.expired");
    default:
      return null;
  }
}

/** A failure as a sentence in the reader's language. */
export function failureSentence(failure: VoucherFailure): string {
  switch (failure.reason) {
    case "expired":
      return t("vouchers.error.expired");
    case "redeemed":
      return t("vouchers.error.redeemed");
    case "cancelled":
      return t("vouchers.error.cancelled");
    case "signerNotIssuer":
      return t("vouchers.error.signerNotIssuer");
    case "paused":
      return t("vouchers.error.paused");
    case "soldOut":
      return t("vouchers.error.soldOut");
    case "sealed":
      return t("vouchers.error.sealed");
    case "rejected":
      return t("vouchers.error.rejected");
    case "noAccount":
      return t("vouchers.error.noAccount");
    case "insufficientFunds":
      return t("vouchers.error.insufficientFunds");
    case "wrongChain":
      return t("vouchers.error.wrongChain", { walletChainId: failure.walletChainId, expectedChainId: failure.expectedChainId });
    case "other":
      return t("vouchers.error.other", { detail: failure.detail });
  }
}

function stepText(step: RedeemStep | "relaying"): string {
  switch (step) {
    case "connecting":
      return t("vouchers.step.connecting");
    case "switchingChain":
      return t("vouchers.step.switchingChain");
    case "checking":
      return t("vouchers.step.checking");
    case "confirming":
      return t("vouchers.step.confirming");
    case "waiting":
      return t("vouchers.step.waiting");
    case "relaying":
      return t("vouchers.step.relaying");
  }
}

/** The serials a voucher would mint now, as the page names them. */
function serialsText(serials: { first: number; last: number }, maxSupply: number): string {
  return serials.first === serials.last
    ? t("vouchers.serialOne", { serial: formatSerial(serials.first, maxSupply) })
    : t("vouchers.serialRange", { first: formatSerial(serials.first, maxSupply), last: formatSerial(serials.last, maxSupply) });
}

async function readVoucher(fields: VoucherLinkFields): Promise<VoucherView | null> {
  try {
    return await api<VoucherView>(`/api/collections/${fields.collection}/vouchers/${fields.nonce}`);
  } catch (error) {
    if (error instanceof ApiError && error.code === "VOUCHER_NOT_FOUND") return null;
    throw error;
  }
}

/** The edition as the voucher view gives it, else from the editions API (a voucher this platform did not sign). */
async function readEdition(fields: VoucherLinkFields, voucher: VoucherView | null): Promise<VoucherEditionView | null> {
  if (voucher?.edition) return voucher.edition;
  const edition = await api<Edition>(`/api/collections/${fields.collection}/editions/${fields.editionId}`).catch(() => null);
  return edition
    ? { ...edition, mintedCount: edition.mintedCount ?? 0 }
    : null;
}

/**
 * /redeem?chain=…&collection=…&…&signature=…: a voucher link. Shows the edition, the serial the voucher
 * will yield, its recipient, deadline and state; while it is open, the reader redeems it from an injected
 * wallet (paying gas) or asks the platform to send it (the relay). Everything needed to redeem is in the
 * link; the API adds the state and the edition.
 */
export default async function redeemPage(context: PageContext): Promise<HTMLElement> {
  document.title = `${t("vouchers.pageTitle")} · Vermilion`;
  const parsed = parseVoucherLink(context.query);
  if ("invalid" in parsed) return errorView(t("vouchers.invalidTitle"), t("vouchers.invalidBody", { fields: parsed.invalid.join(", ") }));
  const { fields } = parsed;
  const [voucher, collection] = await Promise.all([readVoucher(fields), api<Collection>(`/api/collections/${fields.collection}`).catch(() => null)]);
  const edition = await readEdition(fields, voucher);
  if (voucher && voucher.chainId !== fields.chainId) {
    return errorView(t("vouchers.invalidTitle"), t("vouchers.wrongPlatform", { linkChainId: fields.chainId, platformChainId: voucher.chainId }));
  }
  // A link edited after signing (another recipient, say) would only be refused by the contract: say so at once.
  if (
    voucher &&
    (voucher.recipient !== fields.to.toLowerCase() || voucher.quantity !== fields.quantity || voucher.deadline !== fields.deadline || voucher.editionId !== fields.editionId)
  ) {
    return errorView(t("vouchers.invalidTitle"), t("vouchers.tampered"));
  }
  const title = edition?.name ?? t("vouchers.pageTitle");
  document.title = `${title} · Vermilion`;
  const maxSupply = edition?.maxSupply ?? 0;
  const state: VoucherState | "unknown" = voucher?.state ?? "unknown";
  const kind = mediaKindOf(edition?.mediaType);
  const stillSrc = edition?.thumbnailCid ? ipfsUrl(edition.thumbnailCid) : null;
  const posterSrc = edition?.posterCid ? ipfsUrl(edition.posterCid) : null;

  const badge = h("span", null, stateBadge(state));
  const explanation = h("p", { class: "muted", "data-testid": "voucher-explanation" }, stateExplanation(state));
  const progress = h("p", { class: "redeem-progress", role: "status", "aria-live": "polite", "data-testid": "redeem-progress" });
  const failure = h("p", { class: "form-error", role: "alert", "data-testid": "redeem-error" });
  const result = h("div", { "aria-live": "polite" });

  /** The minted tokens as links to their pages ("Yours: #03 / 10"). */
  const showDone = (tokenIds: string[], txHash: string | null) => {
    const serials = tokenIds.map((tokenId) => {
      const { serial } = decodeTokenId(BigInt(tokenId));
      return h("a", { href: `/tokens/${fields.collection}/${tokenId}`, "data-token-id": tokenId }, formatSerial(serial, maxSupply));
    });
    replace(
      result,
      h(
        "div",
        { class: "redeem-done notice notice-success", "data-testid": "redeem-done" },
        h("p", null, t("vouchers.done"), " ", serials.flatMap((link, index) => (index === 0 ? [link] : [", ", link]))),
        txHash ? h("p", { class: "small mono", title: txHash }, t("vouchers.viewTransaction", { hash: shortHash(txHash) })) : null,
      ),
    );
  };

  // The serials it would yield: gone once redeemed (the result names the real ones).
  const serialLine =
    voucher?.serials && edition
      ? h(
          "div",
          null,
          h("p", { class: "token-serial", "data-testid": "voucher-serial" }, serialsText(voucher.serials, maxSupply)),
          h("p", { class: "small muted" }, t("vouchers.serialHint")),
        )
      : null;
  const actions = h("div", { class: "redeem-actions" });
  const setBusy = (busy: boolean) => {
    for (const button of actions.querySelectorAll("button")) button.disabled = busy;
  };
  const succeed = (tokenIds: string[], txHash: string) => {
    replace(progress);
    replace(badge, stateBadge("redeemed"));
    replace(explanation, t("vouchers.explain.redeemed"));
    actions.remove();
    serialLine?.remove();
    showDone(tokenIds, txHash);
  };
  const fail = (error: unknown) => {
    replace(progress);
    failure.textContent = failureSentence(explainVoucherFailure(error));
    setBusy(false);
  };

  if (state === "open" || state === "unknown") {
    const provider = findInjectedProvider();
    const walletButton = h(
      "button",
      {
        type: "button",
        class: "button button-primary",
        disabled: provider === null,
        onclick: async () => {
          if (!provider) return;
          setBusy(true);
          failure.textContent = "";
          try {
            const redeemed = await redeemWithWallet({ provider, fields, onStep: (step) => replace(progress, stepText(step)) });
            succeed(redeemed.tokenIds, redeemed.txHash);
          } catch (error) {
            fail(error);
          }
        },
      },
      t("vouchers.walletButton"),
    );
    const relayButton = h(
      "button",
      {
        type: "button",
        class: "button",
        onclick: async () => {
          setBusy(true);
          failure.textContent = "";
          replace(progress, stepText("relaying"));
          try {
            const relayed = await api<{ txHash: string; tokenIds: string[] }>("/api/vouchers/redeem", {
              method: "POST",
              body: {
                chainId: fields.chainId,
                collection: fields.collection,
                voucher: { editionId: fields.editionId, to: fields.to, quantity: fields.quantity, nonce: fields.nonce, deadline: fields.deadline },
                signature: fields.signature,
              },
            });
            succeed(relayed.tokenIds, relayed.txHash);
          } catch (error) {
            fail(error);
          }
        },
      },
      t("vouchers.relayButton"),
    );
    replace(
      actions,
      h(
        "section",
        { class: "redeem-option", "aria-labelledby": "redeem-wallet-title" },
        h("h2", { id: "redeem-wallet-title" }, t("vouchers.walletTitle")),
        h("p", { class: "small muted" }, t("vouchers.walletHint")),
        walletButton,
        provider ? null : h("p", { class: "small", "data-testid": "redeem-no-wallet" }, t("vouchers.noWallet")),
      ),
      h(
        "section",
        { class: "redeem-option", "aria-labelledby": "redeem-relay-title" },
        h("h2", { id: "redeem-relay-title" }, t("vouchers.relayTitle")),
        h("p", { class: "small muted" }, t("vouchers.relayHint")),
        relayButton,
      ),
    );
  }
  if (state === "redeemed" && voucher?.tokenIds) showDone(voucher.tokenIds, voucher.redeemedTxHash);


  return h(
    "div",
    { class: "page page-redeem" },
    h(
      "div",
      { class: "split" },
      h(
        "div",
        { class: "split-media" },
        edition ? mediaFrame({ kind, src: kind === "image" ? (stillSrc ?? ipfsUrl(edition.mediaCid)) : ipfsUrl(edition.mediaCid), posterSrc, alt: title }) : null,
      ),
      h(
        "div",
        { class: "split-facts" },
        h("p", { class: "eyebrow" }, collection?.name ?? t("vouchers.eyebrow")),
        h("h1", { class: "token-title" }, title),
        serialLine,
        h(
          "dl",
          { class: "facts" },
          h("div", null, h("dt", null, t("vouchers.state")), h("dd", null, badge)),
          h("div", null, h("dt", null, t("vouchers.recipient")), h("dd", { class: "mono", title: fields.to, "data-testid": "voucher-recipient" }, shortAddress(fields.to))),
          h("div", null, h("dt", null, t("vouchers.quantity")), h("dd", null, formatNumber(Number(fields.quantity)))),
          h("div", null, h("dt", null, t("vouchers.deadline")), h("dd", { "data-testid": "voucher-deadline" }, formatDateTime(Number(fields.deadline)))),
        ),
        explanation,
        voucher ? null : h("p", { class: "small muted" }, t("vouchers.unknown")),
        h("p", { class: "small" }, t("vouchers.goesTo", { address: fields.to })),
        actions,
        progress,
        failure,
        result,
      ),
    ),
  );
}
