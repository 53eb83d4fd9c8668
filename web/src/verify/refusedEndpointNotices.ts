import type { RefusedEndpoint } from "./pageVerifyEndpoints.js";

import { h } from "../dom.js";
import { t } from "../i18n/i18n.js";

const FIELDS: Record<RefusedEndpoint["field"], () => string> = {
  rpc: () => t("browserVerify.fieldRpc"),
  gateway: () => t("browserVerify.fieldGateway"),
  factory: () => t("browserVerify.fieldFactory"),
};

const REASONS: Record<RefusedEndpoint["reason"], () => string> = {
  notUrl: () => t("browserVerify.refusedNotUrl"),
  notHttp: () => t("browserVerify.refusedNotHttp"),
  hasCredentials: () => t("browserVerify.refusedHasCredentials"),
  hasQuery: () => t("browserVerify.refusedHasQuery"),
  tooLong: () => t("browserVerify.refusedTooLong"),
  notAddress: () => t("browserVerify.refusedNotAddress"),
};

/** One visible sentence per endpoint the server would not let this page call, saying what is used instead. */
export function refusedEndpointNotices(refused: RefusedEndpoint[]): HTMLElement[] {
  return refused.map((entry) =>
    h(
      "p",
      { class: "notice notice-warn small", role: "alert", "data-refused": entry.field },
      t("browserVerify.refused", { field: FIELDS[entry.field](), value: entry.value, reason: REASONS[entry.reason]() }),
    ),
  );
}
