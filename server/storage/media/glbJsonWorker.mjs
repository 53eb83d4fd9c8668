// A piscina worker (plain JavaScript, so it loads in a worker thread without a TypeScript loader):
// parses a GLB's JSON chunk from the stored upload, inside the pool's memory limit and time budget.
import { Buffer } from "node:buffer";
import { open } from "node:fs/promises";
import { TextDecoder } from "node:util";

/**
 * @param {{ path: string; offsetBytes: number; lengthBytes: number; maxDepth: number }} task
 * @returns {Promise<{ ok: true } | { ok: false; reason: string; declared?: string; value?: number; limit?: number }>}
 */
export default async function checkGlbJson({ path, offsetBytes, lengthBytes, maxDepth }) {
  const handle = await open(path, "r");
  const bytes = Buffer.alloc(lengthBytes);
  try {
    await handle.read(bytes, 0, lengthBytes, offsetBytes);
  } finally {
    await handle.close();
  }
  // Nesting is counted before parsing: a deep document costs its readers (three.js, model-viewer) recursion.
  let depth = 0;
  let inString = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (inString) {
      if (byte === 0x5c) index++;
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) inString = true;
    else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > maxDepth) return { ok: false, reason: "too deep", declared: "JSON nesting depth", value: depth, limit: maxDepth };
    } else if (byte === 0x7d || byte === 0x5d) depth--;
  }
  let gltf;
  try {
    gltf = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return { ok: false, reason: "JSON chunk is not valid UTF-8 JSON" };
  }
  const version = gltf?.asset?.version;
  if (typeof version !== "string" || !version.startsWith("2.")) return { ok: false, reason: "JSON chunk has no glTF 2.x asset.version" };
  return { ok: true };
}
