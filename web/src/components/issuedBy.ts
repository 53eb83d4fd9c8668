import type { IssuedBy } from "../apiTypes.js";

import { h } from "../dom.js";
import { shortAddress } from "../format.js";
import { t } from "../i18n/i18n.js";

/** The issuer's address, short, linked to its page; the full address in the title. */
export function issuerAddressLink(address: string): HTMLElement {
  return h("a", { class: "mono", href: `/owners/${address}`, title: t("issuedBy.addressTitle", { address }), "data-testid": "issuer-address" }, shortAddress(address));
}

/** "Issued by <name> (<address>)", or "Issued by <address>" when the platform knows no name; null without an issuer. */
export function issuedByLine(issuer: IssuedBy | null | undefined): Array<HTMLElement | string> | null {
  if (!issuer) return null;
  if (issuer.name === null) return [t("issuedBy.unnamed"), " ", issuerAddressLink(issuer.address)];
  return [t("issuedBy.named", { name: issuer.name }), t("issuedBy.addressOpen"), issuerAddressLink(issuer.address), t("issuedBy.addressClose")];
}

/** The issuer line as its own paragraph (token and edition pages). */
export function issuedBy(issuer: IssuedBy | null | undefined): HTMLElement | null {
  const line = issuedByLine(issuer);
  return line ? h("p", { class: "issued-by", "data-testid": "issued-by" }, line) : null;
}

/** The issuer as a row of a fact list (the certificate): "Issuer  <name> (<address>)". */
export function issuerFact(issuer: IssuedBy | null | undefined): HTMLElement | null {
  if (!issuer) return null;
  const value = issuer.name === null ? [issuerAddressLink(issuer.address)] : [issuer.name, t("issuedBy.addressOpen"), issuerAddressLink(issuer.address), t("issuedBy.addressClose")];
  return h("div", { "data-testid": "certificate-issuer" }, h("dt", null, t("issuedBy.term")), h("dd", null, value));
}
