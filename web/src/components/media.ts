import { append, h } from "../dom.js";
import { t } from "../i18n/i18n.js";

export type MediaKind = "image" | "video" | "audio" | "model";

const KINDS: Record<string, MediaKind> = {
  png: "image",
  jpeg: "image",
  webp: "image",
  gif: "image",
  mp4: "video",
  webm: "video",
  mp3: "audio",
  glb: "model",
};

/** The API's media type ("png", "glb", …) as the kind of viewer it needs; unknown types show as images. */
export function mediaKindOf(mediaType: string | null | undefined): MediaKind {
  return (mediaType && KINDS[mediaType]) || "image";
}

export interface MediaParameters {
  kind: MediaKind;
  src: string;
  /** A still: the poster for video, audio and 3D; shown while they load. */
  posterSrc?: string | null;
  alt: string;
}

let modelViewerLoading: Promise<unknown> | null = null;

/** model-viewer (with three, ~1 MB) is fetched only when a 3D model is on the page. */
export function loadModelViewer(): Promise<unknown> {
  modelViewerLoading ??= import("@google/model-viewer");
  return modelViewerLoading;
}

/**
 * The artwork in a box whose size is fixed before anything loads (a square frame, contained media),
 * so the page does not shift when the media arrives.
 */
export function mediaFrame(parameters: MediaParameters): HTMLElement {
  const frame = h("figure", { class: `media-frame media-${parameters.kind}`, "data-media-kind": parameters.kind });
  switch (parameters.kind) {
    case "image":
      frame.append(h("img", { src: parameters.src, alt: parameters.alt, decoding: "async", width: "1024", height: "1024" }));
      break;
    case "video":
      frame.append(
        h("video", { src: parameters.src, poster: parameters.posterSrc ?? null, controls: true, playsinline: true, loop: true, muted: true, "aria-label": parameters.alt }),
      );
      break;
    case "audio":
      append(frame, [
        parameters.posterSrc ? h("img", { src: parameters.posterSrc, alt: parameters.alt, width: "1024", height: "1024" }) : null,
        h("audio", { src: parameters.src, controls: true, "aria-label": parameters.alt }),
      ]);
      break;
    case "model": {
      const viewer = document.createElement("model-viewer");
      viewer.setAttribute("src", parameters.src);
      if (parameters.posterSrc) viewer.setAttribute("poster", parameters.posterSrc);
      viewer.setAttribute("alt", parameters.alt);
      viewer.setAttribute("camera-controls", "");
      viewer.setAttribute("auto-rotate", "");
      viewer.setAttribute("touch-action", "pan-y");
      viewer.setAttribute("shadow-intensity", "0.6");
      viewer.setAttribute("interaction-prompt", "none");
      frame.append(viewer, h("figcaption", { class: "media-hint" }, t("media.modelHint")));
      void loadModelViewer().catch(() => {
        frame.replaceChildren();
        append(frame, [
          parameters.posterSrc ? h("img", { src: parameters.posterSrc, alt: parameters.alt, width: "1024", height: "1024" }) : null,
          h("figcaption", { class: "media-hint" }, t("media.modelUnavailable")),
        ]);
      });
      break;
    }
  }
  return frame;
}

/** A card thumbnail: a still image for any media kind, or a neutral tile when there is none. */
export function thumbnail(src: string | null, alt: string): HTMLElement {
  return h(
    "div",
    { class: "thumb" },
    src ? h("img", { src, alt, loading: "lazy", decoding: "async", width: "512", height: "512" }) : h("span", { class: "thumb-empty", "aria-hidden": "true" }, "朱"),
  );
}
