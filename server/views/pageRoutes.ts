/**
 * The front end's pages by name, with their shareable URL patterns: the server answers index.html for
 * exactly these paths (server/web/webRouter.ts) and the front end renders one page for each
 * (web/src/router.ts). Anything else under them is the SPA's business.
 */
export const PAGE_ROUTES = {
  home: "/",
  collection: "/collections/:address",
  edition: "/collections/:address/editions/:editionId",
  token: "/tokens/:address/:tokenId",
  owners: "/owners",
  owner: "/owners/:address",
  issuer: "/issuer",
  audit: "/audit",
  /** A claim code's QR code points here (claim at the exhibition). */
  claim: "/claim/:code",
  /** A voucher link: the voucher and its signature in the query string. */
  redeem: "/redeem",
} as const;

export type PageName = keyof typeof PAGE_ROUTES;
