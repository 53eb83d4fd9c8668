import type { AcceptedEditionJob, CreatedEdition, EditionJob } from "../apiTypes.js";

import { ApiError, IdempotentAction, answerMayBeLost, api } from "../api.js";
import { loadModelViewer, mediaKindOf } from "../components/media.js";
import { h, replace } from "../dom.js";
import { formatNumber } from "../format.js";
import { locale, t } from "../i18n/i18n.js";

const EXTENSIONS: Record<string, string> = {
  png: "png", jpg: "jpeg", jpeg: "jpeg", webp: "webp", gif: "gif", mp4: "mp4", webm: "webm", mp3: "mp3", glb: "glb",
};

function mediaTypeOfFile(file: File): string | null {
  const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
  return EXTENSIONS[extension] ?? null;
}

/** 0x + SHA-256 of the file: the commitment the contract will store, computed before upload. */
async function sha256Hex(file: File): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
  return `0x${[...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}

function preview(file: File, url: string): HTMLElement {
  const kind = mediaKindOf(mediaTypeOfFile(file));
  if (kind === "model") {
    void loadModelViewer();
    const viewer = document.createElement("model-viewer");
    viewer.setAttribute("src", url);
    viewer.setAttribute("alt", file.name);
    viewer.setAttribute("camera-controls", "");
    viewer.setAttribute("auto-rotate", "");
    return h("figure", { class: "media-frame media-model preview" }, viewer);
  }
  if (kind === "video") return h("figure", { class: "media-frame preview" }, h("video", { src: url, controls: true, muted: true, "aria-label": file.name }));
  if (kind === "audio") return h("figure", { class: "media-frame preview" }, h("audio", { src: url, controls: true, "aria-label": file.name }));
  return h("figure", { class: "media-frame preview" }, h("img", { src: url, alt: file.name }));
}

/** Upload with progress (fetch cannot report upload progress). */
function upload(url: string, apiKey: string, idempotencyKey: string, body: FormData, onProgress: (fraction: number) => void): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open("POST", url);
    request.setRequestHeader("authorization", `Bearer ${apiKey}`);
    request.setRequestHeader("idempotency-key", idempotencyKey);
    request.setRequestHeader("accept-language", locale());
    request.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", () => {
      let parsed: unknown = null;
      try {
        parsed = JSON.parse(request.responseText);
      } catch {
        parsed = null;
      }
      if (request.status >= 200 && request.status < 300) resolve(parsed);
      else {
        const error = (parsed as { error?: { code: string; message: string; details?: Record<string, unknown> } } | null)?.error;
        reject(new ApiError(request.status, error?.code ?? `HTTP_${request.status}`, error?.message ?? request.statusText, error?.details ?? {}));
      }
    });
    request.addEventListener("error", () => reject(new ApiError(0, "NETWORK_ERROR", t("error.network"))));
    request.send(body);
  });
}

/**
 * Follows a large edition's job (202) until it completes, showing its progress; the edition it created,
 * or an ApiError with the job's error code.
 */
async function followEditionJob(
  accepted: AcceptedEditionJob,
  apiKey: string,
  onProgress: (job: EditionJob) => void,
): Promise<CreatedEdition> {
  for (;;) {
    const job = await api<EditionJob>(accepted.location, { apiKey });
    onProgress(job);
    if (job.state === "completed" && job.edition) return job.edition;
    if (job.state === "failed") {
      const code = job.error?.code ?? "INTERNAL";
      throw new ApiError(500, code, t("issuer.editionJobFailed", { message: code }), (job.error?.details ?? {}) as Record<string, unknown>);
    }
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

/** The upload as sent, for its Idempotency-Key: the fields, and each file by name, size and modification time. */
function uploadFingerprint(body: FormData): string {
  return JSON.stringify([...body.entries()].map(([name, value]) => [name, typeof value === "string" ? value : `${value.name}:${value.size}:${value.lastModified}`]));
}

function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  return h("div", { class: "field" }, h("label", { for: id }, label), control, hint ? h("p", { class: "hint", id: `${id}-hint` }, hint) : null);
}

/** A drop zone that is also a keyboard-operable file input. */
function dropZone(id: string, label: string, accept: string, onFile: (file: File) => void): HTMLElement {
  const input = h("input", { id, type: "file", accept, class: "dropzone-input" });
  input.addEventListener("change", () => {
    const file = input.files?.[0];
    if (file) onFile(file);
  });
  const zone = h("label", { for: id, class: "dropzone" }, h("span", { class: "dropzone-title" }, label), h("span", { class: "hint" }, t("issuer.dropHint")));
  zone.addEventListener("dragover", (event) => {
    event.preventDefault();
    zone.classList.add("dropzone-active");
  });
  zone.addEventListener("dragleave", () => zone.classList.remove("dropzone-active"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("dropzone-active");
    const file = event.dataTransfer?.files[0];
    if (file) onFile(file);
  });
  return h("div", { class: "dropzone-wrap" }, input, zone);
}

/** The "new edition" form: file, preview, commitment, fields; posts multipart with upload progress. */
export function editionForm(collection: string, apiKey: string, onCreated: (edition: CreatedEdition) => void): HTMLElement {
  let media: File | null = null;
  let poster: File | null = null;
  let mediaUrl: string | null = null;
  // Pressing "create" again after a lost answer resends the same upload with the same key: one edition.
  const createAction = new IdempotentAction();
  const previewBox = h("div", { class: "preview-box" }, h("p", { class: "muted" }, t("issuer.noFile")));
  const commitment = h("dl", { class: "facts commitment" });
  const posterField = h("div", { class: "field", hidden: true });
  const errors = h("div", { class: "form-error", role: "alert", id: "edition-errors" });
  const progress = h("progress", { max: 1, value: 0, hidden: true, "aria-label": t("issuer.uploadProgress") });
  const result = h("div", { "aria-live": "polite" });

  const name = h("input", { id: "edition-name", name: "name", required: true, maxlength: "200" });
  const description = h("textarea", { id: "edition-description", name: "description", rows: "3", maxlength: "10000" });
  const maxSupply = h("input", { id: "edition-max", name: "maxSupply", type: "number", min: "1", max: "999999", value: "100", required: true, inputmode: "numeric" });
  const royalty = h("input", { id: "edition-royalty", name: "royaltyPercent", type: "number", min: "0", max: "100", step: "0.01", value: "0", inputmode: "decimal" });
  const receiver = h("input", { id: "edition-receiver", name: "royaltyReceiver", class: "mono", placeholder: "0x…", autocomplete: "off" });
  const policy = h(
    "select",
    { id: "edition-policy", name: "transferPolicy" },
    h("option", { value: "free" }, t("issuer.policyFree")),
    h("option", { value: "hold" }, t("issuer.policyHold")),
    h("option", { value: "soulbound" }, t("issuer.policySoulbound")),
  );
  const holdDays = h("input", { id: "edition-hold-days", type: "number", min: "1", max: "36500", value: "90", inputmode: "numeric" });
  const holdField = field("edition-hold-days", t("issuer.holdDays"), holdDays);
  holdField.hidden = true;
  policy.addEventListener("change", () => (holdField.hidden = policy.value !== "hold"));
  const license = h("input", { id: "edition-license", name: "license", value: "All rights reserved", maxlength: "500" });
  // The Chinese name and description go into the metadata's ERC-1155 `localization` documents.
  const nameZh = h("input", { id: "edition-name-zh", name: "nameZh", maxlength: "200", lang: "zh-CN" });
  const descriptionZh = h("textarea", { id: "edition-description-zh", name: "descriptionZh", rows: "3", maxlength: "10000", lang: "zh-CN" });

  const setMedia = async (file: File) => {
    media = file;
    if (mediaUrl) URL.revokeObjectURL(mediaUrl);
    mediaUrl = URL.createObjectURL(file);
    replace(previewBox, preview(file, mediaUrl));
    const type = mediaTypeOfFile(file);
    posterField.hidden = !type || mediaKindOf(type) === "image";
    replace(commitment, h("div", null, h("dt", null, t("issuer.file")), h("dd", null, `${file.name} · ${formatNumber(file.size)} B`)), h("div", null, h("dt", null, t("commitment.contentSha256")), h("dd", null, h("code", { class: "mono", "data-testid": "commitment" }, t("issuer.hashing")))));
    const digest = await sha256Hex(file);
    const code = commitment.querySelector("[data-testid=commitment]");
    if (code && media === file) code.textContent = digest;
    if (!name.value) name.value = file.name.replace(/\.[^.]+$/, "");
  };
  replace(posterField, h("span", { class: "label" }, t("issuer.poster")), dropZone("edition-poster", t("issuer.posterDrop"), "image/png,image/jpeg,image/webp,image/gif", (file) => {
    poster = file;
    posterField.querySelector(".dropzone-title")!.textContent = file.name;
  }));

  const form = h(
    "form",
    {
      class: "panel edition-form",
      "aria-labelledby": "new-edition-title",
      onsubmit: async (event: Event) => {
        event.preventDefault();
        errors.textContent = "";
        if (!media) {
          errors.textContent = t("issuer.fileRequired");
          return;
        }
        const body = new FormData();
        body.append("name", name.value.trim());
        body.append("description", description.value);
        body.append("maxSupply", maxSupply.value);
        const royaltyBps = Math.round(Number(royalty.value || "0") * 100);
        body.append("royaltyBps", String(royaltyBps));
        if (receiver.value.trim()) body.append("royaltyReceiver", receiver.value.trim());
        body.append("transferPolicy", policy.value);
        if (policy.value === "hold") body.append("holdSeconds", String(Math.round(Number(holdDays.value) * 86_400)));
        if (license.value.trim()) body.append("license", license.value.trim());
        const chinese = { title: nameZh.value.trim(), description: descriptionZh.value.trim() };
        if (chinese.title || chinese.description) {
          body.append(
            "translations",
            JSON.stringify({ "zh-CN": { ...(chinese.title ? { title: chinese.title } : {}), ...(chinese.description ? { description: chinese.description } : {}) } }),
          );
        }
        body.append("media", media, media.name);
        if (poster && !posterField.hidden) body.append("poster", poster, poster.name);
        progress.hidden = false;
        progress.value = 0;
        submit.disabled = true;
        try {
          const idempotencyKey = createAction.keyFor(uploadFingerprint(body));
          let answer: CreatedEdition | AcceptedEditionJob;
          try {
            answer = (await upload(`/api/collections/${collection}/editions`, apiKey, idempotencyKey, body, (fraction) => (progress.value = fraction))) as
              | CreatedEdition
              | AcceptedEditionJob;
          } catch (error) {
            createAction.settle(error);
            throw error;
          }
          createAction.settle(null);
          // A large edition is built by a job (202): its metadata documents are counted as they are written.
          const created =
            "jobId" in answer
              ? await followEditionJob(answer, apiKey, (job) => {
                  progress.value = job.progress.documentsTotal === 0 ? 0 : job.progress.documentsWritten / job.progress.documentsTotal;
                  replace(
                    result,
                    h(
                      "p",
                      { class: "notice", role: "status" },
                      t("issuer.editionJobProgress", {
                        written: formatNumber(job.progress.documentsWritten),
                        total: formatNumber(job.progress.documentsTotal),
                      }),
                    ),
                  );
                })
              : answer;
          replace(
            result,
            h("p", { class: "notice notice-success", role: "status" }, t("issuer.editionCreated", { editionId: created.editionId }), " ", h("a", { href: `/collections/${collection}/editions/${created.editionId}` }, t("issuer.viewEdition"))),
          );
          onCreated(created);
        } catch (error) {
          const field = error instanceof ApiError && typeof error.details.field === "string" ? `${error.details.field}: ` : "";
          const retry = answerMayBeLost(error) ? ` ${t("console.retrySafe")}` : "";
          errors.textContent = `${field}${error instanceof Error ? error.message : String(error)}${retry}`;
        } finally {
          submit.disabled = false;
          progress.hidden = true;
        }
      },
    },
    h("h3", { id: "new-edition-title" }, t("issuer.newEdition")),
    h(
      "div",
      { class: "edition-form-grid" },
      h(
        "div",
        null,
        dropZone("edition-media", t("issuer.mediaDrop"), ".png,.jpg,.jpeg,.webp,.gif,.mp4,.webm,.mp3,.glb", (file) => void setMedia(file)),
        previewBox,
        commitment,
        posterField,
      ),
      h(
        "div",
        { class: "form-grid" },
        field("edition-name", t("issuer.name"), name),
        field("edition-description", t("issuer.description"), description),
        field("edition-name-zh", t("issuer.nameZh"), nameZh, t("issuer.translationHint")),
        field("edition-description-zh", t("issuer.descriptionZh"), descriptionZh),
        field("edition-max", t("issuer.maxSupply"), maxSupply),
        field("edition-policy", t("edition.transferPolicy"), policy),
        holdField,
        field("edition-royalty", t("issuer.royaltyPercent"), royalty),
        field("edition-receiver", t("issuer.royaltyReceiver"), receiver, t("issuer.royaltyReceiverHint")),
        field("edition-license", t("edition.license"), license),
      ),
    ),
    errors,
    progress,
    h("div", { class: "form-actions" }, h("button", { type: "submit", class: "button button-primary" }, t("issuer.createEdition"))),
    result,
  );
  const submit = form.querySelector<HTMLButtonElement>("button[type=submit]")!;
  return form;
}
