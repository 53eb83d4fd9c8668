import type { BrowserVerifyProgress } from "./runVerifierInBrowser.js";

import { formatNumber } from "../format.js";
import { t } from "../i18n/i18n.js";

/** What a running in-browser verification has read so far, one line per source. */
export function describeProgress(progress: BrowserVerifyProgress): string[] {
  return [
    progress.tokens ? t("browserVerify.progressTokens", { done: formatNumber(progress.tokens.done), total: formatNumber(progress.tokens.total) }) : null,
    t("browserVerify.progressChain", { answers: formatNumber(progress.chainAnswers) }),
    t("browserVerify.progressContent", { blocks: formatNumber(progress.contentBlocks) }),
  ].filter((line): line is string => line !== null);
}
