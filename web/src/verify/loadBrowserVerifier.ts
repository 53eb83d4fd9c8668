import type * as runVerifierInBrowser from "./runVerifierInBrowser.js";

export type BrowserVerifier = typeof runVerifierInBrowser;

let loading: Promise<BrowserVerifier> | undefined;

/**
 * The verifier's chunk, fetched once per document. Pages that verify call this as they open, not when
 * the reader presses a button, so a page that has opened can verify even after the server that sent
 * it has gone. A failed load is forgotten, so a later call tries again.
 */
export function loadBrowserVerifier(): Promise<BrowserVerifier> {
  loading ??= import("./runVerifierInBrowser.js")
    .then(async (verifier) => {
      await verifier.ready;
      return verifier;
    })
    .catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
  return loading;
}
