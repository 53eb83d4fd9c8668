import type { Collection, Edition, SearchResponse } from "../apiTypes.js";
import type { PageContext } from "../router.js";

import { ApiError, api } from "../api.js";
import { editionCard, tokenCard } from "../components/cards.js";
import { collectionEditions, editionsFor } from "../editionLookup.js";
import { h, replace } from "../dom.js";
import { shortAddress } from "../format.js";
import { t } from "../i18n/i18n.js";

async function runSearch(q: string, results: HTMLElement): Promise<void> {
  replace(results, h("p", { class: "muted", role: "status" }, t("status.searching")));
  try {
    const found = await api<SearchResponse>(`/api/search?q=${encodeURIComponent(q)}`);
    const editions = await editionsFor(found.tokens.map((token) => token.collection.address));
    const cards = found.tokens.map((token) => {
      const edition = editions.get(`${token.collection.address}:${token.editionId}`);
      return tokenCard(token, edition);
    });
    replace(
      results,
      h("h2", { class: "section-title" }, t("search.results", { count: found.tokens.length })),
      found.interpretedAs === "address" ? h("p", null, h("a", { href: `/owners/${q}` }, t("search.openOwner", { address: shortAddress(q) }))) : null,
      cards.length > 0 ? h("div", { class: "grid" }, cards) : h("p", { class: "muted" }, t("search.none")),
    );
  } catch (error) {
    const message = error instanceof ApiError && error.code === "VALIDATION_FAILED" ? t("search.invalid") : error instanceof Error ? error.message : String(error);
    replace(results, h("p", { class: "form-error", role: "alert" }, message));
  }
}

export default async function homePage(context: PageContext): Promise<HTMLElement> {
  document.title = `Vermilion · ${t("home.title")}`;
  const { collections } = await api<{ collections: Collection[] }>("/api/collections");
  const editionLists = await Promise.all(collections.map((collection) => collectionEditions(collection.address)));
  const names = new Map(collections.map((collection) => [collection.address, collection.name]));
  const featured: Edition[] = editionLists.flat().slice(0, 12);

  const results = h("div", { class: "search-results", "aria-live": "polite" });
  const input = h("input", {
    id: "search",
    type: "search",
    name: "q",
    value: context.query.get("q") ?? "",
    placeholder: t("search.placeholder"),
    autocomplete: "off",
    spellcheck: "false",
  });
  const form = h(
    "form",
    {
      class: "search",
      role: "search",
      onsubmit: (event: Event) => {
        event.preventDefault();
        const q = input.value.trim();
        if (!q) return;
        history.replaceState(null, "", `/?q=${encodeURIComponent(q)}`);
        void runSearch(q, results);
      },
    },
    h("label", { for: "search", class: "visually-hidden" }, t("search.label")),
    input,
    h("button", { type: "submit", class: "button button-primary" }, t("search.submit")),
  );
  const initial = context.query.get("q");
  if (initial) void runSearch(initial, results);

  return h(
    "div",
    { class: "page page-home" },
    h(
      "section",
      { class: "hero" },
      h("p", { class: "eyebrow" }, t("home.eyebrow")),
      h("h1", { class: "hero-title" }, t("home.title")),
      h("p", { class: "hero-lede" }, t("home.lede")),
      form,
      h("p", { class: "muted small" }, t("search.hint")),
    ),
    results,
    h(
      "section",
      { "aria-labelledby": "featured-title" },
      h("h2", { id: "featured-title", class: "section-title" }, t("home.featured")),
      featured.length > 0
        ? h("div", { class: "grid" }, featured.map((edition) => editionCard(edition, names.get(edition.collection))))
        : h("p", { class: "muted" }, t("home.empty")),
    ),
    collections.length > 0
      ? h(
          "section",
          { "aria-labelledby": "collections-title" },
          h("h2", { id: "collections-title", class: "section-title" }, t("home.collections")),
          h(
            "ul",
            { class: "collection-list" },
            collections.map((collection) =>
              h(
                "li",
                null,
                h("a", { href: `/collections/${collection.address}`, class: "collection-link" }, h("span", { class: "collection-name" }, collection.name), h("span", { class: "muted mono" }, `${collection.symbol} · ${shortAddress(collection.address)}`)),
              ),
            ),
          ),
        )
      : null,
  );
}

