import type { Request, Response } from "express";

import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

import express, { Router } from "express";

import { PAGE_ROUTES } from "../views/pageRoutes.js";
import { parseVerifyEndpoints, verifyEndpointOrigins, type PlatformVerifyEndpoints } from "./parseVerifyEndpoints.js";

export interface CreateWebRouterParameters {
  /** The Vite build output (web/dist): index.html and assets/. */
  distDir: string;
  /**
   * The platform's endpoints for in-browser verification. With them, each page names in its CSP and
   * its `<meta name="vermilion-verify">` the endpoints its query chose (else these); without, pages
   * may call this origin only.
   */
  verify?: PlatformVerifyEndpoints;
}

/**
 * A page's Content-Security-Policy: only this origin's scripts and styles; blob: for media previews
 * and the 3D viewer (model-viewer and three load textures through blob URLs), data: for inline icons.
 * No CDN, no inline script. `connectOrigins` are the verifier's endpoints (an RPC node, an IPFS
 * gateway): the only other origins the page may call.
 */
export function pageContentSecurityPolicy(connectOrigins: readonly string[]): string {
  return [
    "default-src 'self'",
    // model-viewer compiles a small WebAssembly decoder; 'wasm-unsafe-eval' allows that and nothing else (no eval).
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    ["connect-src 'self' blob: data:", ...connectOrigins].join(" "),
    "worker-src 'self' blob:",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
  ].join("; ");
}

/** The policy of a page that calls no endpoint but its own origin. */
export const WEB_CONTENT_SECURITY_POLICY = pageContentSecurityPolicy([]);

/** Text made safe inside a double-quoted HTML attribute. */
function escapeAttribute(text: string): string {
  return text.replace(/[&"'<>]/g, (character) => `&#${character.charCodeAt(0)};`);
}

/** `html` with `element` at the end of its head (or, for a page without one, right after its doctype). */
function withHeadElement(html: string, element: string): string {
  if (html.includes("</head>")) return html.replace("</head>", `${element}</head>`);
  const doctype = /^<!doctype html>/i.exec(html)?.[0] ?? "";
  return `${doctype}${element}${html.slice(doctype.length)}`;
}

const MISSING_BUILD_PAGE = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Vermilion: front end not built</title>
<body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The web front end is not built</h1>
<p>The API is running under <code>/api</code>. To serve the pages, build the front end once:</p>
<pre>npm run build</pre><p>(or only the front end: <code>npx vite build --config web/vite.config.ts</code>), then restart the server.</p>
</body></html>`;

/**
 * Serves the built front end: hashed assets with an immutable cache, and index.html for every page
 * route (the app routes on the client). Never answers under /api or /ipfs, which are mounted before it.
 * A missing build is answered with a page saying how to build it, so the API still starts.
 */
export function createWebRouter(parameters: CreateWebRouterParameters): Router {
  const router = Router();
  const indexPath = path.join(parameters.distDir, "index.html");
  const built = existsSync(indexPath);
  // Read once: the build does not change under a running server.
  const indexHtml = built ? readFileSync(indexPath, "utf8") : MISSING_BUILD_PAGE;

  const sendIndex = (request: Request, response: Response) => {
    let html = indexHtml;
    let policy = WEB_CONTENT_SECURITY_POLICY;
    if (built && parameters.verify) {
      // Every page, not only the token and audit pages: the app navigates between pages without a new
      // document, so the policy the first page got is the one every later page runs under.
      const endpoints = parseVerifyEndpoints(request.query, parameters.verify);
      policy = pageContentSecurityPolicy(verifyEndpointOrigins(endpoints));
      html = withHeadElement(html, `<meta name="vermilion-verify" content="${escapeAttribute(JSON.stringify(endpoints))}">`);
    }
    response
      .status(built ? 200 : 503)
      .set({
        "content-type": "text/html; charset=utf-8",
        "cache-control": "no-cache",
        // Replaces helmet's default policy (server/app.ts): one policy per page, this one.
        "content-security-policy": policy,
      })
      .send(html);
  };

  if (built) {
    router.use(
      "/assets",
      express.static(path.join(parameters.distDir, "assets"), {
        immutable: true,
        maxAge: "365d",
        index: false,
      }),
    );
    router.use("/assets", (_request, response) => {
      response.status(404).type("text/plain").send("Not found");
    });
  }
  router.get(Object.values(PAGE_ROUTES), sendIndex);
  if (built) router.use(express.static(parameters.distDir, { index: false, maxAge: "1h" }));
  return router;
}
