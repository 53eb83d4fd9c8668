import type { Collection, Edition, EditionTokensResponse, TokenMetadataDocument } from "../apiTypes.js";
import type { PageContext } from "../router.js";

import { api, ipfsUrl } from "../api.js";
import { issuedBy } from "../components/issuedBy.js";
import { mediaFrame, mediaKindOf } from "../components/media.js";
import { copyable } from "../components/status.js";
import { h } from "../dom.js";
import { describeTransferPolicy, formatNumber, formatPercent, formatSerial, shortAddress } from "../format.js";
import { t } from "../i18n/i18n.js";
import { localizedText } from "../localized.js";

const PAGE_SIZE = 120;

function serialCell(address: string, maxSupply: number, token: EditionTokensResponse["tokens"][number]): HTMLElement {
  return h(
    "li",
    null,
    h(
      "a",
      { class: "serial-cell", href: `/tokens/${address}/${token.tokenId}`, "data-serial": token.serial },
      h("span", { class: "serial-label" }, formatSerial(token.serial, maxSupply)),
      h("span", { class: "serial-owner mono", title: token.owner ?? "" }, token.owner ? shortAddress(token.owner) : t("token.burned")),
    ),
  );
}

export function editionState(edition: EditionTokensResponse["edition"]): string {
  if (edition.closedEarly) return t("edition.stateClosed");
  if (edition.sealed) return t("edition.stateSealed");
  return t("edition.stateOpen");
}

export default async function editionPage(context: PageContext): Promise<HTMLElement> {
  const { address, editionId } = context.params as { address: string; editionId: string };
  const [edition, serials, collection] = await Promise.all([
    api<Edition>(`/api/collections/${address}/editions/${editionId}`),
    api<EditionTokensResponse>(`/api/collections/${address}/editions/${editionId}/tokens?limit=${PAGE_SIZE}`),
    api<Collection>(`/api/collections/${address}`).catch(() => null),
  ]);
  const [localized, firstDocument] = await Promise.all([
    localizedText(edition.localizedMetadataCid, 1, { name: edition.name, description: edition.description }),
    api<TokenMetadataDocument>(ipfsUrl(edition.metadataCid, "1.json")).catch(() => null),
  ]);
  // Translations are read from serial 1's document, whose name carries "#1".
  const text = { ...localized, name: localized.name.replace(/\s*#\d+$/, "") };
  document.title = `${text.name} · Vermilion`;
  const kind = mediaKindOf(edition.mediaType);
  const issuer = firstDocument?.["vermilion:provenance"]?.issuer ?? null;
  const facts = serials.edition;
  const mintedShare = facts.maxSupply > 0 ? facts.minted / facts.maxSupply : 0;

  const grid = h("ol", { class: "serial-grid", "aria-label": t("edition.serials") }, serials.tokens.map((token) => serialCell(address, facts.maxSupply, token)));
  let cursor = serials.nextCursor;
  const more = h("button", {
    type: "button",
    class: "button",
    hidden: cursor === null,
    onclick: async () => {
      if (!cursor) return;
      more.disabled = true;
      const next = await api<EditionTokensResponse>(`/api/collections/${address}/editions/${editionId}/tokens?limit=${PAGE_SIZE}&cursor=${encodeURIComponent(cursor)}`);
      grid.append(...next.tokens.map((token) => serialCell(address, facts.maxSupply, token)));
      cursor = next.nextCursor;
      more.disabled = false;
      more.hidden = cursor === null;
    },
  }, t("edition.loadMore"));

  return h(
    "div",
    { class: "page" },
    h(
      "nav",
      { class: "breadcrumbs", "aria-label": t("nav.breadcrumbs") },
      h("a", { href: "/" }, t("nav.explore")),
      h("span", { "aria-hidden": "true" }, " / "),
      h("a", { href: `/collections/${address}` }, collection?.name ?? shortAddress(address)),
      h("span", { "aria-hidden": "true" }, " / "),
      h("span", null, text.name),
    ),
    h(
      "div",
      { class: "split" },
      h(
        "div",
        { class: "split-media" },
        mediaFrame({ kind, src: ipfsUrl(edition.mediaCid), posterSrc: edition.posterCid ? ipfsUrl(edition.posterCid) : null, alt: text.name }),
      ),
      h(
        "div",
        { class: "split-facts" },
        h("p", { class: "eyebrow" }, t("edition.eyebrow")),
        h("h1", null, text.name),
        issuedBy(serials.issuer),
        text.description ? h("p", { class: "lede" }, text.description) : null,
        h(
          "div",
          { class: "supply" },
          h("p", { class: "supply-numbers" }, h("strong", { "data-testid": "minted" }, formatNumber(facts.minted)), " / ", formatNumber(facts.maxSupply), " ", h("span", { class: "muted" }, t("edition.minted"))),
          h("progress", { max: facts.maxSupply, value: facts.minted, "aria-label": t("edition.mintedProgress", { percent: formatPercent(mintedShare) }) }),
        ),
        h(
          "dl",
          { class: "facts" },
          h("div", null, h("dt", null, t("edition.state")), h("dd", null, h("span", { class: `badge ${facts.sealed ? "badge-neutral" : "badge-open"}` }, editionState(facts)))),
          h("div", null, h("dt", null, t("edition.transferPolicy")), h("dd", null, describeTransferPolicy(edition.transferPolicy, edition.holdSeconds))),
          // The metadata's own claim of an issuer, only when the index names none (the line under the title).
          !serials.issuer && issuer ? h("div", null, h("dt", null, t("edition.issuer")), h("dd", null, copyable(issuer, shortAddress(issuer)))) : null,
          h("div", null, h("dt", null, t("edition.collection")), h("dd", null, h("a", { href: `/collections/${address}` }, collection?.name ?? shortAddress(address)))),
          h("div", null, h("dt", null, t("edition.royalty")), h("dd", null, formatPercent(edition.royaltyBps / 10_000))),
          h("div", null, h("dt", null, t("edition.license")), h("dd", null, edition.license)),
          h("div", null, h("dt", null, t("edition.metadata")), h("dd", null, facts.metadataFrozen ? t("edition.metadataFrozen") : t("edition.metadataMutable"))),
          h("div", null, h("dt", null, t("commitment.contentSha256")), h("dd", null, copyable(`0x${edition.mediaSha256}`, `0x${edition.mediaSha256.slice(0, 12)}…`))),
          h("div", null, h("dt", null, t("commitment.mediaCid")), h("dd", null, h("a", { href: ipfsUrl(edition.mediaCid), class: "mono" }, `${edition.mediaCid.slice(0, 14)}…`))),
        ),
        edition.attributes.length > 0
          ? h("ul", { class: "tags", "aria-label": t("token.attributes") }, edition.attributes.map((attribute) => h("li", null, h("span", { class: "muted" }, `${attribute.trait_type}: `), String(attribute.value))))
          : null,
      ),
    ),
    h(
      "section",
      { "aria-labelledby": "serials-title" },
      h("h2", { id: "serials-title", class: "section-title" }, t("edition.serials")),
      serials.tokens.length > 0 ? grid : h("p", { class: "muted" }, t("edition.noneMinted")),
      more,
    ),
  );
}
