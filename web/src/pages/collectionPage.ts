import type { Collection, Edition } from "../apiTypes.js";
import type { PageContext } from "../router.js";

import { api } from "../api.js";
import { editionCard } from "../components/cards.js";
import { copyable } from "../components/status.js";
import { h } from "../dom.js";
import { formatNumber, shortAddress } from "../format.js";
import { t } from "../i18n/i18n.js";

export default async function collectionPage(context: PageContext): Promise<HTMLElement> {
  const address = context.params.address!;
  const [collection, { editions }] = await Promise.all([
    api<Collection>(`/api/collections/${address}`),
    api<{ editions: Edition[] }>(`/api/collections/${address}/editions`),
  ]);
  document.title = `${collection.name} · Vermilion`;
  return h(
    "div",
    { class: "page" },
    h("nav", { class: "breadcrumbs", "aria-label": t("nav.breadcrumbs") }, h("a", { href: "/" }, t("nav.explore")), h("span", { "aria-hidden": "true" }, " / "), h("span", null, collection.name)),
    h(
      "header",
      { class: "page-header" },
      h("p", { class: "eyebrow" }, t("collection.eyebrow")),
      h("h1", null, collection.name),
      h(
        "dl",
        { class: "facts facts-inline" },
        h("div", null, h("dt", null, t("collection.symbol")), h("dd", null, collection.symbol)),
        h("div", null, h("dt", null, t("collection.contract")), h("dd", null, copyable(collection.address, shortAddress(collection.address)))),
        h("div", null, h("dt", null, t("collection.chain")), h("dd", null, String(collection.chainId))),
        h("div", null, h("dt", null, t("collection.editions")), h("dd", null, formatNumber(editions.length))),
      ),
    ),
    editions.length > 0 ? h("div", { class: "grid" }, editions.map((edition) => editionCard(edition))) : h("p", { class: "muted" }, t("collection.noEditions")),
  );
}
