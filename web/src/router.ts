import type { PageName } from "../../server/views/pageRoutes.js";
import type { Child } from "./dom.js";

import { PAGE_ROUTES } from "../../server/views/pageRoutes.js";

/** A page: renders into `main` from the URL's parameters; the router ignores it once the reader moved on. */
export type PageModule = { default: (context: PageContext) => Promise<Child> };

export interface PageContext {
  params: Record<string, string>;
  query: URLSearchParams;
  /** False once another navigation started: late answers must not paint over the new page. */
  isCurrent: () => boolean;
}

interface Route {
  pattern: RegExp;
  names: string[];
  load: () => Promise<PageModule>;
}

function route(path: string, load: () => Promise<PageModule>): Route {
  const names: string[] = [];
  const source = path.replace(/:(\w+)/g, (_match, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { pattern: new RegExp(`^${source}/?$`), names, load };
}

/** The page of each shareable URL (server/views/pageRoutes.ts), loaded on demand. */
const pages: Record<PageName, () => Promise<PageModule>> = {
  home: () => import("./pages/homePage.js"),
  collection: () => import("./pages/collectionPage.js"),
  edition: () => import("./pages/editionPage.js"),
  token: () => import("./pages/tokenPage.js"),
  owners: () => import("./pages/ownerPage.js"),
  owner: () => import("./pages/ownerPage.js"),
  issuer: () => import("./pages/issuerPage.js"),
  audit: () => import("./pages/auditPage.js"),
  claim: () => import("./pages/claimPage.js"),
  redeem: () => import("./pages/redeemPage.js"),
};

export const routes: Route[] = (Object.keys(PAGE_ROUTES) as PageName[]).map((name) => route(PAGE_ROUTES[name], pages[name]));

export function matchRoute(pathname: string): { route: Route; params: Record<string, string> } | null {
  for (const candidate of routes) {
    const match = candidate.pattern.exec(pathname);
    if (!match) continue;
    const params: Record<string, string> = {};
    candidate.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] ?? "");
    });
    return { route: candidate, params };
  }
  return null;
}

/** Client-side navigation to a same-origin URL. */
export function navigate(url: string, options: { replace?: boolean } = {}): void {
  if (options.replace) history.replaceState(null, "", url);
  else history.pushState(null, "", url);
  window.dispatchEvent(new Event("vermilion:navigate"));
}
