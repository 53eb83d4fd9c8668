import type { Edition, ProvenanceResponse, TokenResponse } from "../apiTypes.js";
import type { PageContext } from "../router.js";
import type { Address } from "viem";

import { api, gatewayUrlOf, ipfsUrl } from "../api.js";
import { mediaFrame, mediaKindOf } from "../components/media.js";
import { qrCode } from "../components/qrCode.js";
import { issuedBy, issuerFact } from "../components/issuedBy.js";
import { copyable } from "../components/status.js";
import { provenanceTimeline } from "../components/timeline.js";
import { giftPanel } from "../collector/giftPanel.js";
import { h, replace } from "../dom.js";
import { describeTransferPolicy, formatDate, formatDateTime, formatPercent, formatSerial, shortAddress } from "../format.js";
import { t } from "../i18n/i18n.js";
import { localizedText } from "../localized.js";
import { tokenVerificationPanel } from "../verify/tokenVerificationPanel.js";
import { decodeTokenId } from "vermilion-verify/shared/tokenIds.js";

function lockText(token: TokenResponse["token"]): string | null {
  if (token.lockedUntil === "never") return t("token.lockedForever");
  if (typeof token.lockedUntil === "number") return t("token.lockedUntil", { date: formatDateTime(token.lockedUntil) });
  return null;
}

function commitmentRows(token: TokenResponse["token"], mediaCid: string): HTMLElement[] {
  return [
    h("div", null, h("dt", null, t("commitment.contract")), h("dd", null, copyable(token.collection.address))),
    h("div", null, h("dt", null, t("commitment.tokenId")), h("dd", null, copyable(token.tokenId))),
    h("div", null, h("dt", null, t("commitment.chainId")), h("dd", null, String(token.chainId))),
    h("div", null, h("dt", null, t("commitment.metadataCid")), h("dd", null, copyable(token.metadataCid))),
    h("div", null, h("dt", null, t("commitment.mediaCid")), h("dd", null, copyable(mediaCid))),
    h("div", null, h("dt", null, t("commitment.contentSha256")), h("dd", null, copyable(token.contentSha256))),
    h("div", null, h("dt", null, t("commitment.tokenUri")), h("dd", null, copyable(token.tokenUri))),
  ];
}

export default async function tokenPage(context: PageContext): Promise<HTMLElement> {
  const { address, tokenId } = context.params as { address: string; tokenId: string };
  const [{ token }, provenance, edition] = await Promise.all([
    api<TokenResponse>(`/api/tokens/${address}/${tokenId}`),
    api<ProvenanceResponse>(`/api/tokens/${address}/${tokenId}/provenance`),
    api<Edition>(`/api/collections/${address}/editions/${decodeTokenId(BigInt(tokenId)).editionId.toString()}`).catch(() => null),
  ]);
  const fallbackName = token.editionName ?? token.metadata?.name ?? token.collection.name;
  const text = await localizedText(edition?.localizedMetadataCid ?? null, token.serial, {
    name: fallbackName,
    description: token.metadata?.description ?? edition?.description ?? "",
  });
  const title = text.name.replace(/\s*#\d+$/, "");
  const serialLabel = formatSerial(token.serial, token.maxSupply);
  document.title = `${title} ${serialLabel} · Vermilion`;

  const mediaCid = token.media.ipfs.replace(/^ipfs:\/\//, "");
  const kind = edition ? mediaKindOf(edition.mediaType) : token.metadata?.animation_url ? "video" : "image";
  const posterSrc = edition?.posterCid ? ipfsUrl(edition.posterCid) : token.metadata?.image ? gatewayUrlOf(token.metadata.image) : null;
  const pageUrl = `${location.origin}/tokens/${token.collection.address}/${token.tokenId}`;

  // The verdict arrives after the page: the reader's browser runs the verifier against the endpoints
  // this page was served with (the verifier's code starts loading now, so it runs even if the server goes).
  const certificateVerdict = h("span", null, t("verify.checking"));
  const verification = tokenVerificationPanel({
    contract: token.collection.address as Address,
    tokenId: token.tokenId,
    isCurrent: context.isCurrent,
    onVerdict: (text) => (certificateVerdict.textContent = text),
  });

  const lock = lockText(token);
  const owner = token.owner;
  const ownerLink = (address: string) => h("a", { href: `/owners/${address}`, class: "mono", title: address }, shortAddress(address));
  const ownerFact = h("dd", { "data-testid": "owner" }, owner ? ownerLink(owner) : h("span", { class: "badge badge-fail" }, t("token.burned")));
  const gift = giftPanel({ token, onGiven: (newOwner) => replace(ownerFact, ownerLink(newOwner)) });
  const attributes = (token.metadata?.attributes ?? []).filter((attribute) => attribute.display_type !== "number");

  const certificate = h(
    "section",
    { class: "certificate", "aria-label": t("certificate.title") },
    h("p", { class: "certificate-brand" }, h("span", { class: "brand-seal", "aria-hidden": "true" }, "朱"), " Vermilion"),
    h("h2", { class: "certificate-title" }, t("certificate.title")),
    h("p", { class: "certificate-work" }, title),
    h("p", { class: "certificate-serial" }, serialLabel),
    h("p", null, t("certificate.statement", { collection: token.collection.name })),
    h(
      "dl",
      { class: "facts certificate-facts" },
      issuerFact(token.issuer),
      h("div", null, h("dt", null, t("token.owner")), h("dd", { class: "mono" }, owner ?? t("token.burned"))),
      commitmentRows(token, mediaCid),
      h("div", null, h("dt", null, t("certificate.verification")), h("dd", null, certificateVerdict)),
      h("div", null, h("dt", null, t("certificate.printed")), h("dd", null, formatDate(new Date()))),
    ),
    h("div", { class: "certificate-qr" }, qrCode(pageUrl, t("token.qrLabel")), h("p", { class: "small" }, pageUrl)),
  );

  return h(
    "div",
    { class: "page page-token" },
    h(
      "nav",
      { class: "breadcrumbs", "aria-label": t("nav.breadcrumbs") },
      h("a", { href: `/collections/${token.collection.address}` }, token.collection.name),
      h("span", { "aria-hidden": "true" }, " / "),
      h("a", { href: `/collections/${token.collection.address}/editions/${token.editionId}` }, title),
      h("span", { "aria-hidden": "true" }, " / "),
      h("span", null, serialLabel),
    ),
    h(
      "div",
      { class: "split" },
      h("div", { class: "split-media" }, mediaFrame({ kind, src: ipfsUrl(mediaCid), posterSrc, alt: `${title} ${serialLabel}` })),
      h(
        "div",
        { class: "split-facts" },
        h("p", { class: "eyebrow" }, token.collection.name),
        h("h1", { class: "token-title" }, title),
        h("p", { class: "token-serial", "data-testid": "serial" }, serialLabel),
        issuedBy(token.issuer),
        verification,
        h(
          "dl",
          { class: "facts" },
          h("div", null, h("dt", null, t("token.owner")), ownerFact),
          h("div", null, h("dt", null, t("edition.transferPolicy")), h("dd", null, describeTransferPolicy(token.transferPolicy, token.holdSeconds), lock ? h("span", { class: "block muted small" }, lock) : null)),
          h("div", null, h("dt", null, t("edition.royalty")), h("dd", null, formatPercent(token.royalty.bps / 10_000))),
          token.collection.paused ? h("div", null, h("dt", null, t("token.collectionState")), h("dd", null, h("span", { class: "badge badge-warn" }, t("token.paused")))) : null,
        ),
        text.description ? h("p", { class: "lede" }, text.description) : null,
        attributes.length > 0
          ? h("ul", { class: "tags", "aria-label": t("token.attributes") }, attributes.map((attribute) => h("li", null, h("span", { class: "muted" }, `${attribute.trait_type}: `), String(attribute.value))))
          : null,
        gift ? h("section", { class: "gift-section", "aria-labelledby": "gift-title" }, h("h2", { id: "gift-title", class: "section-title" }, gift.dataset.giftability === "soulbound" ? t("gifting.titleSoulbound") : t("gifting.title")), gift) : null,
        h(
          "div",
          { class: "token-actions" },
          h("button", { type: "button", class: "button button-primary", onclick: () => window.print() }, t("token.printCertificate")),
          h("a", { class: "button", href: `/audit?contract=${token.collection.address}&token=${token.tokenId}` }, t("token.audit")),
        ),
        h("div", { class: "share" }, qrCode(pageUrl, t("token.qrLabel")), h("p", { class: "small muted" }, t("token.qrHint"))),
      ),
    ),
    h(
      "section",
      { "aria-labelledby": "provenance-title", class: "section" },
      h("h2", { id: "provenance-title", class: "section-title" }, t("token.provenance")),
      provenanceTimeline(provenance.history, provenance.issuer),
      provenance.indexedBlock ? h("p", { class: "muted small" }, t("token.indexedAt", { block: provenance.indexedBlock.number })) : null,
    ),
    h(
      "section",
      { "aria-labelledby": "commitments-title", class: "section" },
      h("h2", { id: "commitments-title", class: "section-title" }, t("token.commitments")),
      h("dl", { class: "facts facts-wide" }, commitmentRows(token, mediaCid)),
    ),
    certificate,
  );
}
