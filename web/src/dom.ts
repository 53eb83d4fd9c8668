/** A child `h` accepts: nodes, text, and nothing (skipped), so optional parts read inline. */
export type Child = Node | string | number | null | undefined | false | Child[];

type Handler = (event: Event) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Handler>;

/**
 * Creates an element: `h("a", { href, class: "link" }, "text")`. Props starting with `on` are listeners;
 * `true` sets a boolean attribute, `false`/null/undefined leave it out. Text is always set as text.
 */
export function h<Tag extends keyof HTMLElementTagNameMap>(tag: Tag, props?: Props | null, ...children: Child[]): HTMLElementTagNameMap[Tag] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (typeof value === "function") element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

/** Appends children, flattening arrays and skipping empty ones. */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === "string" || typeof child === "number" ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces an element's content. */
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

/** An SVG element from trusted markup produced by this app (QR codes, icons). */
export function svgFromMarkup(markup: string): Element {
  const template = document.createElement("template");
  template.innerHTML = markup.trim();
  const svg = template.content.firstElementChild;
  if (!svg) throw new Error("empty SVG markup");
  return svg;
}
