import type { Collection, Edition, IssuerAccount, WhoAmI } from "../apiTypes.js";
import type { PageContext } from "../router.js";

import { ApiError, IdempotentAction, api, apiWrite } from "../api.js";
import { h, replace } from "../dom.js";
import { formatNumber, shortAddress } from "../format.js";
import { t } from "../i18n/i18n.js";
import { claimsPanel } from "../issuer/claimsPanel.js";
import { confirmDialog } from "../issuer/confirmDialog.js";
import { custodyPanel } from "../issuer/custodyPanel.js";
import { editionForm } from "../issuer/editionForm.js";
import { jobList } from "../issuer/jobList.js";
import { mintPanel } from "../issuer/mintPanel.js";
import { remotePinningBadge, remotePinningDetails } from "../issuer/remotePinning.js";
import { readApiKey, saveApiKey } from "../issuer/session.js";
import { voucherPanel } from "../issuer/voucherPanel.js";

function errorText(error: unknown): string {
  if (error instanceof ApiError) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}

function loginForm(onSignedIn: () => void, initialError = ""): HTMLElement {
  const key = h("input", { id: "api-key", type: "password", autocomplete: "off", required: true, class: "mono", "aria-describedby": "api-key-hint login-error" });
  const error = h("p", { id: "login-error", class: "form-error", role: "alert" }, initialError);
  return h(
    "form",
    {
      class: "panel login",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        error.textContent = "";
        try {
          await api<WhoAmI>("/api/issuers/me", { apiKey: key.value.trim() });
          saveApiKey(key.value.trim());
          onSignedIn();
        } catch (caught) {
          error.textContent = caught instanceof ApiError && caught.status === 401 ? t("issuer.badKey") : errorText(caught);
        }
      },
    },
    h("h2", null, t("issuer.signIn")),
    h("div", { class: "field" }, h("label", { for: "api-key" }, t("issuer.apiKey")), key, h("p", { id: "api-key-hint", class: "hint" }, t("issuer.apiKeyHint"))),
    h("button", { type: "submit", class: "button button-primary" }, t("issuer.signInButton")),
    error,
  );
}

async function editionRow(collection: Collection, edition: Edition, apiKey: string, onJob: () => void, reload: () => void): Promise<HTMLElement> {
  const detail = await api<Edition>(`/api/collections/${collection.address}/editions/${edition.editionId}`).catch(() => edition);
  const message = h("div", { "aria-live": "polite" });
  const action = (path: string, title: string, body: string, label: string, write = new IdempotentAction()) =>
    h(
      "button",
      {
        type: "button",
        class: "button button-small",
        onclick: async () => {
          if (!(await confirmDialog(title, body, label))) return;
          try {
            await apiWrite(`/api/collections/${collection.address}/editions/${edition.editionId}/${path}`, write, { apiKey });
            replace(message, h("span", { class: "notice notice-success" }, t("issuer.done")));
            reload();
          } catch (error) {
            replace(message, h("span", { class: "form-error", role: "alert" }, errorText(error)));
          }
        },
      },
      label,
    );
  return h(
    "details",
    { class: "edition-row", "data-edition-id": edition.editionId },
    h(
      "summary",
      null,
      h("span", { class: "edition-row-name" }, edition.name),
      h("span", { class: "muted small" }, `#${edition.editionId}`),
      h("span", { class: "edition-row-supply" }, `${formatNumber(detail.mintedCount ?? 0)} / ${formatNumber(edition.maxSupply)}`),
      detail.sealed ? h("span", { class: "badge badge-neutral" }, t("edition.stateSealed")) : h("span", { class: "badge badge-open" }, t("edition.stateOpen")),
      remotePinningBadge(detail),
    ),
    h(
      "div",
      { class: "edition-row-body" },
      h(
        "div",
        { class: "edition-row-actions" },
        h("a", { class: "button button-small", href: `/collections/${collection.address}/editions/${edition.editionId}` }, t("issuer.viewEdition")),
        action("freeze", t("issuer.freezeTitle"), t("issuer.freezeBody", { name: edition.name }), t("issuer.freeze")),
        action("close", t("issuer.closeTitle"), t("issuer.closeBody", { name: edition.name }), t("issuer.close")),
      ),
      message,
      remotePinningDetails(detail),
      detail.sealed ? h("p", { class: "muted" }, t("issuer.sealedNoMint")) : mintPanel(collection.address, edition.editionId, apiKey, onJob),
      voucherPanel(collection.address, edition.editionId, apiKey, edition.maxSupply),
      detail.sealed ? null : claimsPanel(collection.address, edition.editionId, edition.name, apiKey),
    ),
  );
}

export default async function issuerPage(context: PageContext): Promise<HTMLElement> {
  document.title = `${t("issuer.title")} · Vermilion`;
  const root = h("div", { class: "page page-issuer" });
  const header = h("header", { class: "page-header" }, h("p", { class: "eyebrow" }, t("issuer.eyebrow")), h("h1", null, t("issuer.title")));

  let generation = 0;
  /** Renders the console; `notice` (e.g. "edition created") is shown above the collection after a re-render. */
  const show = async (loginError = "", notice: HTMLElement | null = null): Promise<void> => {
    const current = ++generation;
    // Pollers of an earlier rendering stop once the console re-renders or the reader leaves.
    const isAlive = () => context.isCurrent() && current === generation;
    const apiKey = readApiKey();
    if (!apiKey) {
      replace(root, header, loginForm(() => void show(), loginError));
      return;
    }
    let me: IssuerAccount;
    try {
      me = await api<IssuerAccount>("/api/issuers/me", { apiKey });
    } catch {
      saveApiKey(null);
      await show(t("issuer.badKey"));
      return;
    }
    const { collections: all } = await api<{ collections: Collection[] }>("/api/collections");
    const mine = me.kind === "admin" ? all : all.filter((collection) => collection.issuerId === me.issuerId);
    const params = new URLSearchParams(location.search);
    const selected = mine.find((collection) => collection.address === params.get("collection")?.toLowerCase()) ?? mine[0] ?? null;

    // A finished job changes its edition's minted count: update that row in place (keeping it open).
    const jobs = jobList(apiKey, isAlive, (job) => {
      if (job.kind === "edition" || job.editionId === null) return;
      void api<Edition>(`/api/collections/${job.collection}/editions/${job.editionId}`).then((edition) => {
        const supply = root.querySelector(`details.edition-row[data-edition-id="${job.editionId}"] .edition-row-supply`);
        if (supply) supply.textContent = `${formatNumber(edition.mintedCount ?? 0)} / ${formatNumber(edition.maxSupply)}`;
        // The list shows every job of the issuer: one of an edition this platform does not list has no row to update.
      }, () => undefined);
    });
    const signOut = h("button", { type: "button", class: "button button-small", onclick: () => { saveApiKey(null); void show(); } }, t("issuer.signOut"));

    // New collection.
    const collectionName = h("input", { id: "collection-name", required: true, maxlength: "100" });
    const collectionSymbol = h("input", { id: "collection-symbol", required: true, maxlength: "16", pattern: "[A-Za-z0-9]+", class: "mono" });
    const collectionMessage = h("div", { "aria-live": "polite" });
    const deployCollection = new IdempotentAction();
    const newCollection = h(
      "form",
      {
        class: "panel form-grid",
        "aria-labelledby": "new-collection-title",
        onsubmit: async (event: Event) => {
          event.preventDefault();
          replace(collectionMessage, h("span", { role: "status" }, t("issuer.deploying")));
          try {
            const created = await apiWrite<Collection>("/api/collections", deployCollection, { apiKey, body: { name: collectionName.value.trim(), symbol: collectionSymbol.value.trim() } });
            history.replaceState(null, "", `/issuer?collection=${created.address}`);
            await show();
          } catch (error) {
            replace(collectionMessage, h("span", { class: "form-error", role: "alert" }, errorText(error)));
          }
        },
      },
      h("h3", { id: "new-collection-title" }, t("issuer.newCollection")),
      h("div", { class: "field" }, h("label", { for: "collection-name" }, t("issuer.collectionName")), collectionName),
      h("div", { class: "field" }, h("label", { for: "collection-symbol" }, t("collection.symbol")), collectionSymbol),
      h("div", { class: "field field-actions" }, h("button", { type: "submit", class: "button" }, t("issuer.deploy"))),
      collectionMessage,
    );

    const picker = h(
      "select",
      {
        id: "collection-picker",
        onchange: (event: Event) => {
          history.replaceState(null, "", `/issuer?collection=${(event.target as HTMLSelectElement).value}`);
          void show();
        },
      },
      mine.map((collection) => h("option", { value: collection.address, selected: collection === selected }, `${collection.name} (${collection.symbol})`)),
    );

    let collectionSection: HTMLElement | null = null;
    if (selected) {
      const { editions } = await api<{ editions: Edition[] }>(`/api/collections/${selected.address}/editions`);
      const rows = await Promise.all(editions.map((edition) => editionRow(selected, edition, apiKey, jobs.refresh, () => void show())));
      const pauseMessage = h("div", { "aria-live": "polite" });
      const pauseButton = (path: "pause" | "unpause", label: string, title: string, body: string, write = new IdempotentAction()) =>
        h(
          "button",
          {
            type: "button",
            class: `button button-small${path === "pause" ? " button-danger" : ""}`,
            onclick: async () => {
              if (!(await confirmDialog(title, body, label))) return;
              try {
                await apiWrite(`/api/collections/${selected.address}/${path}`, write, { apiKey });
                replace(pauseMessage, h("span", { class: "notice notice-success" }, path === "pause" ? t("issuer.paused") : t("issuer.resumed")));
              } catch (error) {
                replace(pauseMessage, h("span", { class: "form-error", role: "alert" }, errorText(error)));
              }
            },
          },
          label,
        );
      collectionSection = h(
        "section",
        { class: "section", "aria-labelledby": "collection-title" },
        h(
          "div",
          { class: "section-head" },
          h("h2", { id: "collection-title", class: "section-title" }, selected.name, " ", h("span", { class: "muted mono small" }, shortAddress(selected.address))),
          h(
            "div",
            { class: "edition-row-actions" },
            h("a", { class: "button button-small", href: `/collections/${selected.address}` }, t("issuer.viewPublic")),
            pauseButton("pause", t("issuer.pause"), t("issuer.pauseTitle"), t("issuer.pauseBody", { name: selected.name })),
            pauseButton("unpause", t("issuer.resume"), t("issuer.resumeTitle"), t("issuer.resumeBody", { name: selected.name })),
          ),
        ),
        pauseMessage,
        notice,
        rows.length > 0 ? h("div", { class: "edition-rows" }, rows) : h("p", { class: "muted" }, t("collection.noEditions")),
        editionForm(selected.address, apiKey, (created) =>
          void show(
            "",
            h(
              "p",
              { class: "notice notice-success", role: "status", "data-edition-created": created.editionId },
              t("issuer.editionCreated", { editionId: created.editionId }),
              " ",
              h("a", { href: `/collections/${selected.address}/editions/${created.editionId}` }, t("issuer.viewEdition")),
            ),
          ),
        ),
      );
    }

    replace(
      root,
      header,
      h(
        "div",
        { class: "console-bar panel" },
        h(
          "p",
          null,
          me.kind === "admin" ? t("issuer.signedInAdmin") : t("issuer.signedInAs", { name: me.name ?? "" }),
          me.kind === "issuer" && me.address ? [" ", h("a", { href: "#custody-title", class: "mono small", title: me.address }, shortAddress(me.address))] : null,
        ),
        mine.length > 0 ? h("div", { class: "field field-inline" }, h("label", { for: "collection-picker" }, t("issuer.collection")), picker) : null,
        signOut,
      ),
      jobs.element,
      collectionSection ?? h("p", { class: "muted" }, t("issuer.noCollections")),
      newCollection,
      // An issuer's on-chain identity, after the day-to-day work; an admin key acts for no issuer, and has none.
      me.kind === "issuer" && me.address ? custodyPanel(me, apiKey) : null,
    );
  };
  await show();
  return root;
}
