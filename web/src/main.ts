import "./styles.css";

import type { Locale } from "./i18n/i18n.js";

import { h, replace } from "./dom.js";
import { LOCALES, initI18n, locale, setLocale, t } from "./i18n/i18n.js";
import { matchRoute, navigate } from "./router.js";
import { errorView, loadingView } from "./components/status.js";

const app = document.getElementById("app")!;
let navigation = 0;

function navLink(href: string, label: string): HTMLAnchorElement {
  const current = location.pathname === href || (href !== "/" && location.pathname.startsWith(href));
  return h("a", { href, class: "nav-link", "aria-current": current ? "page" : null }, label);
}

function languageSwitch(): HTMLElement {
  const names: Record<Locale, string> = { en: "English", "zh-CN": "简体中文" };
  const select = h(
    "select",
    {
      id: "language",
      class: "language-select",
      onchange: async (event: Event) => {
        await setLocale((event.target as HTMLSelectElement).value as Locale);
        void render();
      },
    },
    LOCALES.map((code) => h("option", { value: code, lang: code, selected: code === locale() }, names[code])),
  );
  return h("div", { class: "language" }, h("label", { for: "language", class: "visually-hidden" }, t("nav.language")), select);
}

function layout(main: HTMLElement): HTMLElement[] {
  const header = h(
    "header",
    { class: "site-header" },
    h(
      "div",
      { class: "site-header-inner" },
      h("a", { href: "/", class: "brand", "aria-label": t("brand.home") }, h("span", { class: "brand-seal", "aria-hidden": "true" }, "朱"), h("span", { class: "brand-name" }, "Vermilion")),
      h(
        "nav",
        { class: "site-nav", "aria-label": t("nav.label") },
        navLink("/", t("nav.explore")),
        navLink("/owners", t("nav.myCollection")),
        navLink("/audit", t("nav.audit")),
        navLink("/issuer", t("nav.issuer")),
      ),
      languageSwitch(),
    ),
  );
  const footer = h("footer", { class: "site-footer" }, h("p", null, t("footer.tagline")), h("p", null, h("a", { href: "/api/openapi.json" }, t("footer.api"))));
  return [h("a", { class: "skip-link", href: "#main" }, t("nav.skip")), header, main, footer];
}

/** Renders the page for the current URL into a fresh layout (a language switch re-renders too). */
async function render(): Promise<void> {
  const id = ++navigation;
  const isCurrent = () => id === navigation;
  const main = h("main", { id: "main", tabindex: "-1" });
  replace(app, ...layout(main));
  const matched = matchRoute(location.pathname);
  if (!matched) {
    document.title = `${t("notFound.title")} · Vermilion`;
    replace(main, errorView(t("notFound.title"), t("notFound.body")));
    return;
  }
  replace(main, loadingView());
  try {
    const page = await matched.route.load();
    const content = await page.default({ params: matched.params, query: new URLSearchParams(location.search), isCurrent });
    if (isCurrent()) replace(main, content);
  } catch (error) {
    if (isCurrent()) replace(main, errorView(t("error.title"), error instanceof Error ? error.message : String(error)));
  }
}

// Same-origin links navigate in place; new tabs, downloads and other origins behave as usual.
document.addEventListener("click", (event) => {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = (event.target as Element | null)?.closest?.("a");
  if (!anchor || anchor.target || anchor.hasAttribute("download") || anchor.origin !== location.origin) return;
  // An in-page link (the skip link): move focus to its target, as keyboard users expect.
  if (anchor.pathname === location.pathname && anchor.search === location.search && anchor.hash) {
    const target = document.getElementById(decodeURIComponent(anchor.hash.slice(1)));
    if (target) {
      event.preventDefault();
      target.focus();
      target.scrollIntoView();
    }
    return;
  }
  if (!matchRoute(anchor.pathname)) return;
  event.preventDefault();
  if (anchor.href === location.href) return;
  navigate(anchor.pathname + anchor.search + anchor.hash);
});

let lastPath = location.pathname;
function onNavigate(): void {
  // A new page starts at the top, and focus moves to it for screen-reader and keyboard users.
  const changedPage = location.pathname !== lastPath;
  lastPath = location.pathname;
  void render().then(() => {
    if (changedPage) {
      window.scrollTo(0, 0);
      document.getElementById("main")?.focus({ preventScroll: true });
    }
  });
}
window.addEventListener("popstate", onNavigate);
window.addEventListener("vermilion:navigate", onNavigate);

await initI18n();
await render();
