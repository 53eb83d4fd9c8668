import type { Edition, TokenView } from "../apiTypes.js";

import { ipfsUrl } from "../api.js";
import { h } from "../dom.js";
import { formatNumber, formatSerial, shortAddress } from "../format.js";
import { t } from "../i18n/i18n.js";
import { localizedText } from "../localized.js";
import { thumbnail } from "./media.js";

/** The edition's title in the reader's language, filled in when the translation arrives. */
function localizedTitle(edition: Edition | undefined, fallback: string): HTMLElement {
  const title = h("h3", { class: "card-title" }, fallback);
  if (edition?.localizedMetadataCid) {
    void localizedText(edition.localizedMetadataCid, 1, { name: fallback, description: "" }).then((text) => {
      title.textContent = text.name.replace(/\s*#\d+$/, "");
    });
  }
  return title;
}

/** The still to show for an edition: its thumbnail, else its poster, else nothing. */
export function editionStill(edition: Pick<Edition, "thumbnailCid" | "posterCid">): string | null {
  const cid = edition.thumbnailCid ?? edition.posterCid;
  return cid ? ipfsUrl(cid) : null;
}

export function editionCard(edition: Edition, collectionName?: string): HTMLElement {
  return h(
    "a",
    { class: "card", href: `/collections/${edition.collection}/editions/${edition.editionId}` },
    thumbnail(editionStill(edition), edition.name),
    h(
      "div",
      { class: "card-body" },
      localizedTitle(edition, edition.name),
      collectionName ? h("p", { class: "card-meta" }, collectionName) : null,
      h("p", { class: "card-meta" }, t("edition.editionOf", { count: formatNumber(edition.maxSupply) })),
    ),
  );
}

/** A token card; `still` comes from its edition (token views carry the media, not the poster). */
export function tokenCard(token: TokenView, edition: Edition | undefined): HTMLElement {
  const name = edition?.name ?? token.collection.name;
  return h(
    "a",
    { class: "card", href: `/tokens/${token.collection.address}/${token.tokenId}`, "data-token-id": token.tokenId },
    thumbnail(edition ? editionStill(edition) : null, name),
    h(
      "div",
      { class: "card-body" },
      localizedTitle(edition, name),
      h("p", { class: "card-serial" }, formatSerial(token.serial, token.maxSupply)),
      // The issuer's name only: the card is one link already, so the address lives on the token page.
      token.issuer?.name ? h("p", { class: "card-meta", "data-testid": "card-issuer" }, t("issuedBy.named", { name: token.issuer.name })) : null,
      h("p", { class: "card-meta" }, token.owner ? t("token.ownedBy", { owner: shortAddress(token.owner) }) : t("token.burned")),
    ),
  );
}
