import { fileURLToPath } from "node:url";

import { defineConfig } from "vite";

/** The front end: web/ → web/dist, served by the API on the same port (server/web/webRouter.ts). */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  // The verifier package from its sources, as tsconfig.json's `paths` say.
  resolve: {
    alias: [
      { find: /^vermilion-verify$/, replacement: fileURLToPath(new URL("../packages/verifier/src/index.ts", import.meta.url)) },
      { find: /^vermilion-verify\/(.*)$/, replacement: fileURLToPath(new URL("../packages/verifier/src/", import.meta.url)) + "$1" },
    ],
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    // The page's CSP allows no inline script: the module preload helper must not be inlined either.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    // model-viewer (with three) is one large lazy chunk loaded only for 3D media.
    chunkSizeWarningLimit: 1500,
  },
  server: {
    // `npx vite --config web/vite.config.ts` during development, with `npm start` serving the API.
    proxy: { "/api": "http://127.0.0.1:8080", "/ipfs": "http://127.0.0.1:8080" },
  },
});
