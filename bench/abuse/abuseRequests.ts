/** Requests the hostile-load benchmark builds, shared by its readers' and its abusers' processes. */
import { pngDeclaring } from "../../test/storage/mediaSamples.js";

/** A PNG of a few hundred bytes whose header declares `side`×`side` pixels (decompression bomb). */
export function pixelBombPng(side: number): Buffer {
  return pngDeclaring(side, side, { rows: Buffer.alloc(64 * 1024) });
}

export function editionForm(fields: Record<string, string>, media: Uint8Array | Blob): FormData {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append("media", media instanceof Blob ? media : new Blob([media]), "media.png");
  return form;
}
