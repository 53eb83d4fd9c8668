import type { Edition } from "../apiTypes.js";

import { h } from "../dom.js";
import { t } from "../i18n/i18n.js";

type RemotePinning = NonNullable<Edition["remotePinning"]>;
type RemotePinStatus = RemotePinning["status"];

/** pinned is done; rejected needs a person (a wrong token); everything else is on its way or retried. */
const BADGE_CLASS: Record<RemotePinStatus, string> = {
  pinned: "badge-pass",
  rejected: "badge-fail",
  failed: "badge-warn",
  pending: "badge-warn",
  queued: "badge-warn",
  pinning: "badge-warn",
};

/** Each status's words (keys written out: the catalogue test finds every key as written). */
const STATUS_TEXT: Record<RemotePinStatus, () => string> = {
  pending: () => t("pinning.status.pending"),
  queued: () => t("pinning.status.queued"),
  pinning: () => t("pinning.status.pinning"),
  pinned: () => t("pinning.status.pinned"),
  failed: () => t("pinning.status.failed"),
  rejected: () => t("pinning.status.rejected"),
};

const ROLE_TEXT: Record<RemotePinning["pins"][number]["role"], () => string> = {
  media: () => t("pinning.role.media"),
  thumbnail: () => t("pinning.role.thumbnail"),
  poster: () => t("pinning.role.poster"),
  metadata: () => t("pinning.role.metadata"),
  localizedMetadata: () => t("pinning.role.localizedMetadata"),
};

/** The edition's remote pinning in one badge for its row's summary; nothing without a pinning service. */
export function remotePinningBadge(edition: Edition): HTMLElement | null {
  const pinning = edition.remotePinning;
  if (!pinning) return null;
  return h(
    "span",
    { class: `badge small ${BADGE_CLASS[pinning.status]}`, "data-remote-pinning": pinning.status, title: t("pinning.badgeHint") },
    t("pinning.badge", { status: STATUS_TEXT[pinning.status]() }),
  );
}

/** Each CID's pin, by role, with the code of its last failure: what an operator needs to act on a rejection. */
export function remotePinningDetails(edition: Edition): HTMLElement | null {
  const pinning = edition.remotePinning;
  if (!pinning) return null;
  return h(
    "section",
    { class: "remote-pinning" },
    h("h3", null, t("pinning.title")),
    h(
      "ul",
      { class: "remote-pinning-list" },
      ...pinning.pins.map((pin) =>
        h(
          "li",
          { "data-role": pin.role },
          h("span", null, ROLE_TEXT[pin.role]()),
          h("span", { class: `badge small ${BADGE_CLASS[pin.status]}` }, STATUS_TEXT[pin.status]()),
          h("code", { class: "mono small", title: pin.cid }, `${pin.cid.slice(0, 12)}…`),
          pin.errorCode ? h("span", { class: "muted small" }, t("pinning.lastError", { code: pin.errorCode, attempts: pin.attempts })) : null,
        ),
      ),
    ),
    pinning.status === "rejected" ? h("p", { class: "form-error" }, t("pinning.rejectedHint")) : null,
  );
}
