import { h, svgFromMarkup } from "../dom.js";

/** A QR code of `url` as inline SVG; the encoder is loaded on first use to keep the first page light. */
export function qrCode(url: string, label: string): HTMLElement {
  const box = h("div", { class: "qr", role: "img", "aria-label": label });
  void import("qrcode").then(async (qr) => {
    const markup = await qr.toString(url, { type: "svg", margin: 1, errorCorrectionLevel: "M", color: { dark: "#1d1a17", light: "#ffffff" } });
    box.replaceChildren(svgFromMarkup(markup));
  });
  return box;
}
