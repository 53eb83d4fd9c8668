import type { Child } from "./dom.js";

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

/** The shareable URLs (server/web/webRouter.ts serves index.html for the same list). Pages load on demand. */
export const routes: Route[] = [
  route("/", () => import("./pages/homePage.js")),
  route("/collections/:address", () => import("./pages/collectionPage.js")),
  route("/collections/:address/editions/:editionId", () => import("./pages/editionPage.js")),
  route("/tokens/:address/:tokenId", () => import("./pages/tokenPage.js")),
  route("/owners", () => import("./pages/ownerPage.js")),
  route("/owners/:address", () => import("./pages/ownerPage.js")),
  route("/issuer", () => import("./pages/issuerPage.js")),
  route("/audit", () => import("./pages/auditPage.js")),
];

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
