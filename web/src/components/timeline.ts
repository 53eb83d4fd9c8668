import type { IssuedBy, ProvenanceEntry } from "../apiTypes.js";

import { h } from "../dom.js";
import { formatDateTime, formatNumber, shortAddress, shortHash } from "../format.js";
import { t } from "../i18n/i18n.js";
import { issuedByLine } from "./issuedBy.js";

function eventTitle(entry: ProvenanceEntry): string {
  if (entry.kind === "burn") return t("timeline.burn");
  if (entry.kind === "transfer") return t("timeline.transfer");
  if (entry.mintKind === "airdrop") return t("timeline.airdrop");
  if (entry.mintKind === "voucher") return t("timeline.voucher");
  return t("timeline.mint");
}

function party(address: string): HTMLElement {
  if (/^0x0{40}$/.test(address)) return h("span", { class: "party muted" }, t("timeline.nobody"));
  return h("a", { class: "party mono", href: `/owners/${address}`, title: address }, shortAddress(address));
}

/** Who and to whom: a mint names its recipient and who minted it (the issuer's operator or the voucher's signer). */
function parties(entry: ProvenanceEntry): Array<HTMLElement | string> {
  const arrow = h("span", { class: "arrow", "aria-label": t("timeline.to") }, " → ");
  if (entry.kind !== "mint") return [party(entry.from), arrow, party(entry.to)];
  const minter = entry.voucher?.signer ?? entry.mintOperator;
  return [
    arrow,
    party(entry.to),
    ...(minter ? [" ", h("span", { class: "muted small" }, t("timeline.by", { address: shortAddress(minter) }))] : []),
  ];
}

/**
 * The provenance timeline: mint, transfers, burn; each located on the chain, unconfirmed ones marked.
 * The mint names the issuer (the collection's admin) besides the key that sent it.
 */
export function provenanceTimeline(history: ProvenanceEntry[], issuer: IssuedBy | null = null): HTMLElement {
  return h(
    "ol",
    { class: "timeline" },
    history.map((entry) =>
      h(
        "li",
        { class: `timeline-event timeline-${entry.kind}${entry.final ? "" : " timeline-unconfirmed"}`, "data-kind": entry.kind },
        h("span", { class: "timeline-dot", "aria-hidden": "true" }),
        h(
          "div",
          { class: "timeline-body" },
          h(
            "p",
            { class: "timeline-head" },
            h("strong", null, eventTitle(entry)),
            h("time", { datetime: new Date(entry.timestamp * 1000).toISOString(), class: "muted" }, formatDateTime(entry.timestamp)),
          ),
          h("p", { class: "timeline-parties" }, parties(entry)),
          entry.kind === "mint" && issuer ? h("p", { class: "timeline-issuer small", "data-testid": "timeline-issuer" }, issuedByLine(issuer)) : null,
          h(
            "p",
            { class: "timeline-meta small" },
            h("span", null, t("timeline.tx"), " ", h("code", { class: "mono", title: entry.txHash }, shortHash(entry.txHash))),
            h("span", null, t("timeline.block", { number: formatNumber(entry.blockNumber) })),
            h("span", null, t("timeline.confirmations", { count: formatNumber(entry.confirmations) })),
            entry.final ? h("span", { class: "badge badge-pass small" }, t("timeline.final")) : h("span", { class: "badge badge-warn small" }, t("timeline.unconfirmed")),
          ),
          entry.burnReason ? h("p", { class: "small muted" }, t("timeline.burnReason", { reason: entry.burnReason })) : null,
        ),
      ),
    ),
  );
}
