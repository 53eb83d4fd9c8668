/** The media Vermilion accepts, each with the one Content-Type it is ever served with. */
export const mediaTypes = {
  png: { mimeType: "image/png", kind: "image" },
  jpeg: { mimeType: "image/jpeg", kind: "image" },
  webp: { mimeType: "image/webp", kind: "image" },
  gif: { mimeType: "image/gif", kind: "image" },
  mp4: { mimeType: "video/mp4", kind: "video" },
  webm: { mimeType: "video/webm", kind: "video" },
  mp3: { mimeType: "audio/mpeg", kind: "audio" },
  glb: { mimeType: "model/gltf-binary", kind: "model" },
} as const satisfies Record<string, { mimeType: string; kind: "image" | "video" | "audio" | "model" }>;

export type MediaType = keyof typeof mediaTypes;

export type MediaSizeLimits = Record<MediaType, number>;

const MiB = 1024 * 1024;

/** Default per-type size limits; callers pass their own from configuration. */
export const defaultMediaSizeLimits: MediaSizeLimits = {
  png: 50 * MiB,
  jpeg: 50 * MiB,
  webp: 50 * MiB,
  gif: 50 * MiB,
  mp4: 200 * MiB,
  webm: 200 * MiB,
  mp3: 50 * MiB,
  glb: 100 * MiB,
};
