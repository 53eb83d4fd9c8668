import { h } from "../dom.js";
import { t } from "../i18n/i18n.js";

/** A modal confirmation (native <dialog>: focus is trapped, Escape cancels). Resolves true on confirm. */
export function confirmDialog(title: string, body: string, confirmLabel: string): Promise<boolean> {
  return new Promise((resolve) => {
    const dialog = h(
      "dialog",
      { class: "dialog", "aria-labelledby": "dialog-title" },
      h(
        "form",
        { method: "dialog" },
        h("h2", { id: "dialog-title" }, title),
        h("p", null, body),
        h(
          "div",
          { class: "dialog-actions" },
          h("button", { value: "cancel", class: "button", autofocus: true }, t("action.cancel")),
          h("button", { value: "confirm", class: "button button-danger" }, confirmLabel),
        ),
      ),
    );
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "confirm");
      dialog.remove();
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
